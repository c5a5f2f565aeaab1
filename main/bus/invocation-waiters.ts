/**
 * Long-poll support: wait until function F has been invoked for object key K (an attempt
 * finished), or until a timeout. Used by the app API's wait endpoint and by tests.
 */
import type { InvocationRecord, InvocationStore } from '../store/invocation-store.ts'

export interface WaitQuery {
  functionName: string
  key?: string
  /** Only invocations created at or after this emulated time. */
  since?: number
  timeoutMs: number
  signal?: AbortSignal
}

interface Waiter {
  query: WaitQuery
  resolve(invocation: InvocationRecord | undefined): void
}

function invoked(invocation: InvocationRecord): boolean {
  return invocation.status !== 'pending' && invocation.status !== 'running'
}

function fits(invocation: InvocationRecord, query: WaitQuery): boolean {
  return (
    invocation.functionName === query.functionName &&
    (query.key === undefined || invocation.key === query.key) &&
    (query.since === undefined || invocation.createdAt >= query.since) &&
    invoked(invocation)
  )
}

export class InvocationWaiters {
  readonly #store: InvocationStore
  readonly #waiters = new Set<Waiter>()

  constructor(store: InvocationStore) {
    this.#store = store
  }

  wait(query: WaitQuery): Promise<InvocationRecord | undefined> {
    const existing = this.#store
      .list({ functionName: query.functionName, key: query.key, limit: 50 })
      .reverse()
      .find((invocation) => fits(invocation, query))
    if (existing) return Promise.resolve(existing)
    return new Promise((resolve) => {
      const waiter: Waiter = {
        query,
        resolve: (invocation) => {
          clearTimeout(timer)
          this.#waiters.delete(waiter)
          query.signal?.removeEventListener('abort', onAbort)
          resolve(invocation)
        }
      }
      const timer = setTimeout(() => waiter.resolve(undefined), Math.max(0, query.timeoutMs))
      const onAbort = (): void => waiter.resolve(undefined)
      query.signal?.addEventListener('abort', onAbort)
      this.#waiters.add(waiter)
    })
  }

  /** Feed every invocation update. */
  update(invocation: InvocationRecord): void {
    for (const waiter of this.#waiters) {
      if (fits(invocation, waiter.query)) waiter.resolve(invocation)
    }
  }

  close(): void {
    for (const waiter of this.#waiters) waiter.resolve(undefined)
  }
}
