/**
 * The life of one invocation (a delivery of an event to a function, or a test invoke):
 *
 *   pending ──► running ──► succeeded
 *                  │  ├───► retrying ──► running …   (async, retries left)
 *                  │  ├───► dead-lettered            (async, retries exhausted)
 *                  │  └───► failed                   (test invoke: no retries)
 *                  └──────► pending                  (recovered after a crash)
 */
import { retryDelay, type AttemptOutcome } from './retry-policy.ts'

export const INVOCATION_STATUSES = ['pending', 'running', 'retrying', 'succeeded', 'failed', 'dead-lettered'] as const
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number]

const NEXT: Record<InvocationStatus, readonly InvocationStatus[]> = {
  pending: ['running'],
  retrying: ['running', 'pending'],
  running: ['succeeded', 'retrying', 'dead-lettered', 'failed', 'pending'],
  succeeded: [],
  failed: [],
  'dead-lettered': []
}

export function canTransition(from: InvocationStatus, to: InvocationStatus): boolean {
  return NEXT[from].includes(to)
}

export function assertTransition(from: InvocationStatus, to: InvocationStatus): void {
  if (!canTransition(from, to)) throw new Error(`invocation cannot go from ${from} to ${to}`)
}

export function isTerminal(status: InvocationStatus): boolean {
  return NEXT[status].length === 0
}

export type AfterAttempt =
  { status: 'succeeded' } | { status: 'failed' } | { status: 'dead-lettered' } | { status: 'retrying'; delayMs: number }

/** Where an invocation goes after attempt `attempt` ended with `outcome`. */
export function afterAttempt(input: {
  outcome: AttemptOutcome
  attempt: number
  retryNum: number
  async: boolean
}): AfterAttempt {
  if (input.outcome === 'succeeded') return { status: 'succeeded' }
  if (!input.async) return { status: 'failed' }
  const delayMs = retryDelay(input.attempt, input.outcome, input.retryNum)
  return delayMs === undefined ? { status: 'dead-lettered' } : { status: 'retrying', delayMs }
}
