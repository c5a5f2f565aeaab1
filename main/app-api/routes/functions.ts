/** App-API routes for functions: CRUD, templates and test invokes. */
import {
  CreateFunctionRequestSchema,
  InvokeFunctionRequestSchema,
  UpdateFunctionRequestSchema,
  type FunctionInfo,
  type FunctionListResponse,
  type FunctionTemplateList,
  type InvokeFunctionResponse
} from '../../../preload/contract/functions.ts'
import type { EventSystem } from '../../bus/event-system.ts'
import type { Router } from '../router.ts'
import { parseBody } from './validate.ts'

export function registerFunctionRoutes(router: Router, events: EventSystem): void {
  router.add('GET', '/api/functions', (): FunctionListResponse => ({ functions: events.functions.list() }))

  router.add('POST', '/api/functions', ({ body }): FunctionInfo =>
    events.functions.create(parseBody(CreateFunctionRequestSchema, body))
  )

  router.add('GET', '/api/functions/:name', ({ params }): FunctionInfo => events.functions.get(params.name!))

  router.add('PATCH', '/api/functions/:name', ({ params, body }): FunctionInfo =>
    events.functions.update(params.name!, parseBody(UpdateFunctionRequestSchema, body))
  )

  router.add('DELETE', '/api/functions/:name', ({ params }) => {
    events.functions.remove(params.name!)
    return { deleted: params.name! }
  })

  router.add('POST', '/api/functions/:name/invoke', ({ params, body }): Promise<InvokeFunctionResponse> =>
    events.functions.invoke(params.name!, parseBody(InvokeFunctionRequestSchema, body))
  )

  router.add('GET', '/api/function-templates', (): FunctionTemplateList => ({
    templates: events.functions.templates()
  }))
}
