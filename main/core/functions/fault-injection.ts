/**
 * Fault injection, per function: make the next N invocations fail, add latency to every
 * attempt, or make the next N attempts time out. A rule is consumed attempt by attempt, so
 * SCF's retries and dead letters can be watched on the sped-up clock.
 */

export interface FaultRule {
  /** The next N attempts fail with an injected error. */
  failNext: number
  /** The next N attempts time out (after the function's timeout, on the emulated clock). */
  timeoutNext: number
  /** Extra real milliseconds before every attempt runs. */
  latencyMs: number
}

export const NO_FAULT: FaultRule = Object.freeze({ failNext: 0, timeoutNext: 0, latencyMs: 0 })

export const MAX_FAULT_COUNT = 1000
export const MAX_LATENCY_MS = 60_000

export type FaultAction = 'fail' | 'timeout' | 'none'

export interface FaultDecision {
  action: FaultAction
  latencyMs: number
  /** The rule after this attempt consumed it. */
  next: FaultRule
}

/** Decide what the injector does to the next attempt; timeouts are consumed before failures. */
export function takeFault(rule: FaultRule): FaultDecision {
  if (rule.timeoutNext > 0)
    return { action: 'timeout', latencyMs: rule.latencyMs, next: { ...rule, timeoutNext: rule.timeoutNext - 1 } }
  if (rule.failNext > 0)
    return { action: 'fail', latencyMs: rule.latencyMs, next: { ...rule, failNext: rule.failNext - 1 } }
  return { action: 'none', latencyMs: rule.latencyMs, next: rule }
}

export function isActive(rule: FaultRule): boolean {
  return rule.failNext > 0 || rule.timeoutNext > 0 || rule.latencyMs > 0
}

/** Check a rule from the outside world; returns a readable problem or undefined. */
export function faultRuleProblem(rule: Partial<FaultRule>): string | undefined {
  for (const field of ['failNext', 'timeoutNext'] as const) {
    const value = rule[field]
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_FAULT_COUNT))
      return `${field} must be a whole number from 0 to ${MAX_FAULT_COUNT}`
  }
  const latency = rule.latencyMs
  if (latency !== undefined && (!Number.isInteger(latency) || latency < 0 || latency > MAX_LATENCY_MS))
    return `latencyMs must be a whole number from 0 to ${MAX_LATENCY_MS}`
  return undefined
}

/** The error an injected failure reports (shown in the log and the timeline). */
export const INJECTED_ERROR = 'InjectedFault'

export function injectedMessage(action: Exclude<FaultAction, 'none'>, remaining: number): string {
  const what = action === 'fail' ? 'failure' : 'timeout'
  return `[cos-local fault injection] injected ${what} (${remaining} more to come)`
}
