/**
 * Fault injection per function (in memory: a restart clears it) and the bus's pause switch.
 * The delivery executor asks `take()` before every attempt.
 */
import { CosError } from '../core/cos/errors.ts'
import {
  NO_FAULT,
  faultRuleProblem,
  isActive,
  takeFault,
  type FaultDecision,
  type FaultRule
} from '../core/functions/fault-injection.ts'

export class FaultInjector {
  readonly #rules = new Map<string, FaultRule>()

  list(): Record<string, FaultRule> {
    return Object.fromEntries(this.#rules)
  }

  get(functionName: string): FaultRule {
    return this.#rules.get(functionName) ?? NO_FAULT
  }

  set(functionName: string, patch: Partial<FaultRule>): FaultRule {
    const problem = faultRuleProblem(patch)
    if (problem) throw new CosError('InvalidParameterValue', problem)
    const rule = { ...this.get(functionName), ...patch }
    if (isActive(rule)) this.#rules.set(functionName, rule)
    else this.#rules.delete(functionName)
    return rule
  }

  clear(functionName: string): void {
    this.#rules.delete(functionName)
  }

  /** Consume the rule for one attempt. */
  take(functionName: string): FaultDecision {
    const decision = takeFault(this.get(functionName))
    if (decision.action !== 'none') this.set(functionName, decision.next)
    return decision
  }
}
