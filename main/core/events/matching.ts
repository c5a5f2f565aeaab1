/**
 * Does a trigger fire for an object event, and if not, why not? Every check is reported
 * so the "why didn't my trigger fire?" view can name each failing condition.
 */
import { eventNameCovers } from './event-names.ts'
import type { ObjectEvent } from './object-event.ts'
import type { TriggerRule } from './trigger-rule.ts'

export type MatchCheck = 'bucket' | 'event' | 'prefix' | 'suffix' | 'enabled' | 'region'

export interface MatchExplanation {
  triggerId: string
  functionName: string
  matched: boolean
  /** The checks that failed, in the order above. */
  failed: MatchCheck[]
  /** One sentence per failed check (empty when matched). */
  reasons: string[]
  /** The trigger as it was when the event was checked (it may have changed or gone since). */
  rule?: { bucket: string; event: string; prefix: string; suffix: string; enabled: boolean }
}

type EventShape = Pick<ObjectEvent, 'name' | 'bucket' | 'key' | 'region'>

export function explainMatch(rule: TriggerRule, event: EventShape, functionRegion: string): MatchExplanation {
  const failed: MatchCheck[] = []
  const reasons: string[] = []
  const fail = (check: MatchCheck, reason: string): void => {
    failed.push(check)
    reasons.push(reason)
  }
  if (rule.bucket !== event.bucket)
    fail('bucket', `the trigger watches bucket ${rule.bucket}, the event is in ${event.bucket}`)
  if (!eventNameCovers(rule.event, event.name))
    fail('event', `the trigger listens for ${rule.event}, the event is ${event.name}`)
  if (!event.key.startsWith(rule.prefix))
    fail('prefix', `key ${JSON.stringify(event.key)} does not start with prefix ${JSON.stringify(rule.prefix)}`)
  if (!event.key.endsWith(rule.suffix))
    fail('suffix', `key ${JSON.stringify(event.key)} does not end with suffix ${JSON.stringify(rule.suffix)}`)
  if (!rule.enabled) fail('enabled', 'the trigger is disabled')
  if (event.region !== functionRegion)
    fail(
      'region',
      `the bucket is in ${event.region}, the function in ${functionRegion} (COS triggers only fire functions in the same region)`
    )
  return {
    triggerId: rule.id,
    functionName: rule.functionName,
    matched: failed.length === 0,
    failed,
    reasons,
    rule: { bucket: rule.bucket, event: rule.event, prefix: rule.prefix, suffix: rule.suffix, enabled: rule.enabled }
  }
}

export function matchingRules(rules: readonly TriggerRule[], event: EventShape, functionRegion: string): TriggerRule[] {
  return rules.filter((rule) => explainMatch(rule, event, functionRegion).matched)
}
