/** App-API handlers for COS triggers, recent events and the "why didn't my trigger fire?" explainer. */
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { EventSystem } from '../services.ts'

export function triggerHandlers(events: EventSystem): GroupHandlers<AppRoutes, 'triggers' | 'events'> {
  return {
    'triggers.list': ({ query }) => ({
      triggers: events.triggers.list({ functionName: query.function, bucket: query.bucket })
    }),
    'triggers.create': ({ body }) => events.triggers.add(body),
    'triggers.get': ({ params }) => events.triggers.get(params.id),
    'triggers.update': ({ params, body }) => events.triggers.update(params.id, body),
    'triggers.remove': ({ params }) => {
      events.triggers.remove(params.id)
      return { deleted: params.id }
    },
    'triggers.explain': ({ query }) => events.explain(query.bucket, query.key),
    'events.recent': ({ query }) => ({ events: events.recentEvents(query) })
  }
}
