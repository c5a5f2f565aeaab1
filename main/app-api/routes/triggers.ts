/** App-API routes for COS triggers and the "why didn't my trigger fire?" explainer. */
import {
  CreateTriggerRequestSchema,
  UpdateTriggerRequestSchema,
  type ExplainResponse,
  type RecentEventsResponse,
  type Trigger,
  type TriggerListResponse
} from '../../../preload/contract/triggers.ts'
import type { EventSystem } from '../../bus/event-system.ts'
import { ApiError, type Router } from '../router.ts'
import { parseBody } from './validate.ts'

export function registerTriggerRoutes(router: Router, events: EventSystem): void {
  router.add('GET', '/api/triggers', ({ query }): TriggerListResponse => ({
    triggers: events.triggers.list({
      functionName: query.get('function') ?? undefined,
      bucket: query.get('bucket') ?? undefined
    })
  }))

  router.add('POST', '/api/triggers', ({ body }): Trigger =>
    events.triggers.add(parseBody(CreateTriggerRequestSchema, body))
  )

  router.add('GET', '/api/triggers/:id', ({ params }): Trigger => events.triggers.get(params.id!))

  router.add('PATCH', '/api/triggers/:id', ({ params, body }): Trigger =>
    events.triggers.update(params.id!, parseBody(UpdateTriggerRequestSchema, body))
  )

  router.add('DELETE', '/api/triggers/:id', ({ params }) => {
    events.triggers.remove(params.id!)
    return { deleted: params.id! }
  })

  router.add('GET', '/api/explain', ({ query }): ExplainResponse => {
    const bucket = query.get('bucket')
    const key = query.get('key')
    if (!bucket || key === null) throw new ApiError('InvalidRequest', 'explain needs ?bucket=B&key=K', 400)
    return events.explain(bucket, key)
  })

  router.add('GET', '/api/events/recent', ({ query }): RecentEventsResponse => {
    const limit = query.get('limit')
    if (limit !== null && !/^\d+$/.test(limit))
      throw new ApiError('InvalidRequest', 'limit must be a whole number', 400)
    return {
      events: events.recentEvents({
        bucket: query.get('bucket') ?? undefined,
        key: query.get('key') ?? undefined,
        limit: limit === null ? undefined : Number(limit)
      })
    }
  })
}
