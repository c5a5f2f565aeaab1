/** App-API handlers for invocations, run logs, dead letters, COS test templates and the wait endpoint. */
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { EventSystem } from '../services.ts'
import { ApiError } from '../router.ts'

const MAX_WAIT_MS = 10 * 60_000

export function invocationHandlers(
  events: EventSystem
): GroupHandlers<AppRoutes, 'invocations' | 'logs' | 'testTemplates'> {
  return {
    'invocations.list': ({ query }) => ({
      invocations: events.invocations.list({
        functionName: query.function,
        requestId: query.requestId,
        key: query.key,
        status: query.status,
        bucket: query.bucket,
        limit: query.limit,
        before: query.before
      })
    }),
    'invocations.get': ({ params }) => events.invocations.get(params.requestId),
    'invocations.deadLetters': () => ({ invocations: events.inspector.deadLetters() }),
    'invocations.redrive': ({ params }) => events.inspector.redrive(params.requestId),
    'invocations.attempts': ({ params }) => events.inspector.invocation(params.requestId),
    'invocations.wait': async ({ query, signal }) => {
      const timeoutMs = Math.min(query.timeout ?? 30_000, MAX_WAIT_MS)
      const invocation = await events.waitFor({
        functionName: query.function,
        key: query.key,
        since: query.since,
        timeoutMs,
        signal
      })
      if (!invocation) {
        const what = query.key === undefined ? '' : ` for key ${JSON.stringify(query.key)}`
        throw new ApiError(
          'WaitTimeout',
          `Function ${query.function} was not invoked${what} within ${timeoutMs} ms`,
          408
        )
      }
      return invocation
    },
    'logs.list': ({ query }) => ({
      lines: events.invocations.logs({
        functionName: query.function,
        requestId: query.requestId,
        afterId: query.after,
        limit: query.limit,
        tail: query.tail
      })
    }),
    'testTemplates.list': () => ({ templates: events.testTemplates() }),
    'testTemplates.get': ({ params, query }) =>
      events.functions.testEvent({
        template: params.event,
        bucket: query.bucket,
        key: query.key,
        functionName: query.function
      })
  }
}
