/**
 * SCF's async retry policy for execution errors (user error, runtime error or timeout):
 * the first retry 1 minute after the original attempt, the second 2 minutes after the
 * first retry, then the event goes to the dead-letter record. RetryNum (0–2) caps it.
 */
export type AttemptOutcome =
  'succeeded' | 'error' | 'timeout' | 'crashed' | 'out-of-memory' | 'function-missing' | 'interrupted'

export const RETRY_DELAYS_MS = [60_000, 120_000] as const

/** Outcomes SCF counts as execution errors, which the policy retries. */
export function isRetryable(outcome: AttemptOutcome): boolean {
  return (
    outcome === 'error' ||
    outcome === 'timeout' ||
    outcome === 'crashed' ||
    outcome === 'out-of-memory' ||
    outcome === 'interrupted'
  )
}

/**
 * Delay before the next attempt after attempt `attempt` (1-based) failed with `outcome`,
 * or undefined when there is none (dead letter).
 */
export function retryDelay(attempt: number, outcome: AttemptOutcome, retryNum: number): number | undefined {
  if (outcome === 'succeeded' || !isRetryable(outcome)) return undefined
  if (attempt > retryNum) return undefined
  return RETRY_DELAYS_MS[attempt - 1]
}

/** The whole schedule (ms after the original attempt) for a given RetryNum. */
export function retrySchedule(retryNum: number): number[] {
  const times: number[] = []
  let at = 0
  for (let attempt = 1; attempt <= retryNum; attempt++) {
    at += RETRY_DELAYS_MS[attempt - 1]!
    times.push(at)
  }
  return times
}
