/** One invocation with its event, attempts and run log, as the app API returns it. */
import { CosError } from '../core/cos/errors.ts'
import type { InvocationDetail, InvocationStore } from '../store/invocation-store.ts'

export type { InvocationDetail }

export function invocationDetail(store: InvocationStore, requestId: string): InvocationDetail {
  const invocation = store.get(requestId)
  if (!invocation)
    throw new CosError('ResourceNotFound.Invocation', `No invocation with request id ${requestId}`, { status: 404 })
  return {
    ...invocation,
    event: store.event(requestId),
    attemptList: store.attempts(requestId),
    logs: store.logs({ requestId })
  }
}
