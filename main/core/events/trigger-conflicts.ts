/**
 * COS's uniqueness rule (cos-scf.md §2.2): within one bucket, two rules whose event types
 * share an event may not have overlapping prefixes, overlapping suffixes or overlapping
 * prefix/suffix combinations. Two rules overlap when their event sets intersect, one
 * prefix is a prefix of the other (empty overlaps everything) and one suffix is a suffix
 * of the other.
 */
import { eventNamesOverlap } from './event-names.ts'
import { describeRule, type TriggerRule } from './trigger-rule.ts'

export type ConflictCode = 'NotifyRuleEventConflict' | 'NotifyRulePrefixConflict' | 'NotifyRuleSuffixConflict'

export interface RuleConflict {
  code: ConflictCode
  message: string
  /** The existing rule that overlaps. */
  rule: TriggerRule
}

type RuleShape = Pick<TriggerRule, 'bucket' | 'event' | 'prefix' | 'suffix'>

export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a)
}

export function suffixesOverlap(a: string, b: string): boolean {
  return a.endsWith(b) || b.endsWith(a)
}

/** Why `a` and `b` conflict, or undefined when they can coexist. */
export function ruleConflictCode(a: RuleShape, b: RuleShape): ConflictCode | undefined {
  if (a.bucket !== b.bucket) return undefined
  if (!eventNamesOverlap(a.event, b.event)) return undefined
  if (!prefixesOverlap(a.prefix, b.prefix) || !suffixesOverlap(a.suffix, b.suffix)) return undefined
  if (a.prefix || b.prefix) return 'NotifyRulePrefixConflict'
  if (a.suffix || b.suffix) return 'NotifyRuleSuffixConflict'
  return 'NotifyRuleEventConflict'
}

const WHAT: Record<ConflictCode, string> = {
  NotifyRuleEventConflict: 'the same event type',
  NotifyRulePrefixConflict: 'an overlapping prefix',
  NotifyRuleSuffixConflict: 'an overlapping suffix'
}

export function findRuleConflict(existing: readonly TriggerRule[], candidate: RuleShape): RuleConflict | undefined {
  for (const rule of existing) {
    const code = ruleConflictCode(rule, candidate)
    if (!code) continue
    return {
      code,
      rule,
      message:
        `The rule overlaps ${describeRule(rule)} on bucket ${rule.bucket}: ${WHAT[code]} for ${candidate.event}. ` +
        'COS binds each combination of event and prefix/suffix filter in a bucket to only one function; ' +
        'use non-overlapping prefixes, suffixes or event types.'
    }
  }
  return undefined
}
