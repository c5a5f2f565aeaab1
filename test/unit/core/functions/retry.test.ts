import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../../main/core/clock.ts'
import { afterAttempt, assertTransition, canTransition } from '../../../../main/core/functions/invocation-state.ts'
import { retryDelay, retrySchedule } from '../../../../main/core/functions/retry-policy.ts'

describe('SCF async retry policy', () => {
  it('retries at +1 min, then +2 min after the first retry', () => {
    expect(retryDelay(1, 'error', 2)).toBe(60_000)
    expect(retryDelay(2, 'timeout', 2)).toBe(120_000)
    expect(retryDelay(3, 'error', 2)).toBeUndefined()
    expect(retrySchedule(2)).toEqual([60_000, 180_000])
  })

  it.each([
    [0, []],
    [1, [60_000]],
    [2, [60_000, 180_000]]
  ])('RetryNum %d → retries at %j', (retryNum, expected) => {
    expect(retrySchedule(retryNum)).toEqual(expected)
  })

  it('does not retry success or a missing function', () => {
    expect(retryDelay(1, 'succeeded', 2)).toBeUndefined()
    expect(retryDelay(1, 'function-missing', 2)).toBeUndefined()
  })

  it('drives a failing delivery on a ManualClock to the dead letter at 0, 1 and 3 minutes', () => {
    const clock = new ManualClock(0)
    const attempts: number[] = []
    let final = ''
    const run = (attempt: number): void => {
      attempts.push(clock.now())
      const next = afterAttempt({ outcome: 'error', attempt, retryNum: 2, async: true })
      if (next.status === 'retrying') clock.setTimeout(() => run(attempt + 1), next.delayMs)
      else final = next.status
    }
    run(1)
    clock.advance(10 * 60_000)
    expect(attempts).toEqual([0, 60_000, 180_000])
    expect(final).toBe('dead-lettered')
  })

  it('a test invoke fails without retries', () => {
    expect(afterAttempt({ outcome: 'timeout', attempt: 1, retryNum: 2, async: false })).toEqual({ status: 'failed' })
    expect(afterAttempt({ outcome: 'succeeded', attempt: 3, retryNum: 2, async: true })).toEqual({
      status: 'succeeded'
    })
  })
})

describe('invocation state machine', () => {
  it.each([
    ['pending', 'running', true],
    ['running', 'succeeded', true],
    ['running', 'retrying', true],
    ['retrying', 'running', true],
    ['running', 'pending', true],
    ['succeeded', 'running', false],
    ['dead-lettered', 'running', false],
    ['pending', 'succeeded', false]
  ] as const)('%s → %s: %s', (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok)
  })

  it('throws on an illegal transition', () => {
    expect(() => assertTransition('failed', 'running')).toThrow(/cannot go from failed to running/)
  })
})
