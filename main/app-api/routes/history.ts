/**
 * App-API handlers of the event inspector: the event history, one event, replay, the
 * timeline, fault injection and pausing delivery for the whole bus.
 */
import type { EventStatusFilter } from '../../../preload/contract/history.ts'
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { EventSystem } from '../services.ts'
import { ApiError } from '../router.ts'

function seqParam(text: string): number {
  if (!/^\d{1,15}$/.test(text))
    throw new ApiError('InvalidRequest', 'The event sequence number must be a whole number', 400)
  return Number(text)
}

export function historyHandlers(events: EventSystem): GroupHandlers<AppRoutes, 'history' | 'faults' | 'bus'> {
  return {
    'history.list': ({ query }) =>
      events.inspector.page(
        {
          bucket: query.bucket || undefined,
          prefix: query.prefix || undefined,
          eventType: query.type || undefined,
          functionName: query.function || undefined,
          statuses: query.status ? (query.status.split(',') as EventStatusFilter[]) : undefined,
          search: query.q?.trim() || undefined,
          includeUnmatched: query.unmatched === '1'
        },
        { beforeSeq: query.before, limit: query.limit }
      ),
    'history.get': ({ params }) => events.inspector.detail(seqParam(params.seq)),
    'history.replay': ({ params, body }) => ({
      invocations: events.inspector.replay(seqParam(params.seq), body.function)
    }),
    'history.timeline': ({ query }) => {
      if (!query.requestId && query.key === undefined)
        throw new ApiError('InvalidRequest', 'The timeline needs ?bucket=B&key=K or ?requestId=R', 400)
      return events.inspector.timeline({ bucket: query.bucket, key: query.key, requestId: query.requestId })
    },
    'faults.list': () => ({ faults: events.faults.list() }),
    'faults.set': ({ params, body }) => {
      events.functions.get(params.function)
      return events.faults.set(params.function, body)
    },
    'faults.clear': ({ params }) => {
      events.faults.clear(params.function)
      return { cleared: params.function }
    },
    'bus.get': () => events.delivery.state(),
    'bus.set': ({ body }) => {
      if (body.paused) events.delivery.pause()
      else events.delivery.resume()
      return events.delivery.state()
    }
  }
}
