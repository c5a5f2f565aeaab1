/**
 * A COS trigger: which function runs for which object events of one bucket.
 */
import type { TriggerEventName } from './event-names.ts'

export interface TriggerRule {
  id: string
  functionName: string
  /** `$DEFAULT` or `$LATEST` (the emulator runs one version; both name it). */
  qualifier: string
  /** Full bucket name `<name>-<appid>`. */
  bucket: string
  /** Region of the bucket; must equal the function's region. */
  region: string
  event: TriggerEventName
  prefix: string
  suffix: string
  enabled: boolean
  createdAt: number
}

/** SCF: one function can be bound to at most 10 COS triggers. */
export const MAX_TRIGGERS_PER_FUNCTION = 10
/** COS: one bucket can hold at most 10 trigger rules. */
export const MAX_RULES_PER_BUCKET = 10

export const QUALIFIERS = ['$DEFAULT', '$LATEST'] as const

/** A one-line human description of a rule, used in error messages and listings. */
export function describeRule(rule: TriggerRule): string {
  const filters = [rule.prefix ? `prefix "${rule.prefix}"` : '', rule.suffix ? `suffix "${rule.suffix}"` : '']
    .filter(Boolean)
    .join(', ')
  return `trigger ${rule.id} (function ${rule.functionName}, ${rule.event}${filters ? `, ${filters}` : ', no filter'})`
}
