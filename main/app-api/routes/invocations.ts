/** App-API routes for invocations, run logs, dead letters, COS test templates and the wait endpoint. */
import {
  InvocationQuerySchema,
  LogQuerySchema,
  TestTemplateQuerySchema,
  WaitQuerySchema,
  type Invocation,
  type InvocationDetail,
  type InvocationListResponse,
  type LogListResponse,
  type TestTemplateList
} from '../../../preload/contract/invocations.ts'
import type { EventSystem } from '../../bus/event-system.ts'
import { ApiError, type Router } from '../router.ts'
import { optionalInt, parseQuery } from './validate.ts'

const MAX_WAIT_MS = 10 * 60_000

export function registerInvocationRoutes(router: Router, events: EventSystem): void {
  router.add('GET', '/api/invocations', ({ query }): InvocationListResponse => {
    const q = parseQuery(InvocationQuerySchema, query)
    return {
      invocations: events.invocations.list({
        functionName: q.function,
        requestId: q.requestId,
        key: q.key,
        status: q.status,
        limit: optionalInt(q.limit),
        before: optionalInt(q.before)
      })
    }
  })

  router.add('GET', '/api/invocations/:requestId', ({ params }): InvocationDetail =>
    events.invocations.get(params.requestId!)
  )

  router.add('GET', '/api/dead-letters', (): InvocationListResponse => ({
    invocations: events.invocations.deadLetters()
  }))

  router.add('GET', '/api/logs', ({ query }): LogListResponse => {
    const q = parseQuery(LogQuerySchema, query)
    return {
      lines: events.invocations.logs({
        functionName: q.function,
        requestId: q.requestId,
        afterId: optionalInt(q.after),
        limit: optionalInt(q.limit)
      })
    }
  })

  router.add('GET', '/api/wait', async ({ query, signal }): Promise<Invocation> => {
    const q = parseQuery(WaitQuerySchema, query)
    const timeoutMs = Math.min(optionalInt(q.timeout) ?? 30_000, MAX_WAIT_MS)
    const invocation = await events.waitFor({
      functionName: q.function,
      key: q.key,
      since: optionalInt(q.since),
      timeoutMs,
      signal
    })
    if (!invocation) {
      const what = q.key === undefined ? '' : ` for key ${JSON.stringify(q.key)}`
      throw new ApiError('WaitTimeout', `Function ${q.function} was not invoked${what} within ${timeoutMs} ms`, 408)
    }
    return invocation
  })

  router.add('GET', '/api/test-templates', (): TestTemplateList => ({ templates: events.testTemplates() }))

  router.add('GET', '/api/test-templates/:event', ({ params, query }) => {
    const q = parseQuery(TestTemplateQuerySchema, query)
    return events.functions.testEvent({
      template: params.event!,
      bucket: q.bucket,
      key: q.key,
      functionName: q.function
    })
  })
}
