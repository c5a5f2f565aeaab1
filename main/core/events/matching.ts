/**
 * Does a trigger fire for an object event, and if not, why not? Every check is reported
 * so the "why didn't my trigger fire?" view can name each failing condition.
 */
import { eventNameCovers } from './event-names.ts'
import type { ObjectEvent } from './object-event.ts'
import type { TriggerRule } from './trigger-rule.ts'
import { renderText, type CoreText } from '../text.ts'

export type MatchCheck = 'bucket' | 'event' | 'prefix' | 'suffix' | 'enabled' | 'region'

export interface MatchExplanation {
  triggerId: string
  functionName: string
  matched: boolean
  /** The checks that failed, in the order above. */
  failed: MatchCheck[]
  /** One sentence per failed check (empty when matched), in English. */
  reasons: string[]
  /** The trigger as it was when the event was checked (it may have changed or gone since). */
  rule?: { bucket: string; event: string; prefix: string; suffix: string; enabled: boolean }
}

type EventShape = Pick<ObjectEvent, 'name' | 'bucket' | 'key' | 'region'>
/** An event as records keep it (its name as a string). */
type ReasonEvent = { name: string; bucket: string; key: string; region: string }

/** The sentences explaining a failed check (English templates; `CoreText` keeps them translatable). */
export const MATCH_REASON_TEXTS = {
  bucket: 'the trigger watches bucket {watched}, the event is in {bucket}',
  event: 'the trigger listens for {listens}, the event is {event}',
  prefix: 'key {key} does not start with prefix {prefix}',
  suffix: 'key {key} does not end with suffix {suffix}',
  enabled: 'the trigger is disabled',
  region:
    'the bucket is in {bucketRegion}, the function in {functionRegion} (COS triggers only fire functions in the same region)'
} as const satisfies Record<MatchCheck, string>

/** One message per failed check, with the values it names. */
export function matchReasonTexts(
  failed: readonly MatchCheck[],
  rule: { bucket: string; event: string; prefix: string; suffix: string },
  event: ReasonEvent,
  functionRegion: string
): CoreText[] {
  // a matching trigger (every event it fires for) has nothing to explain
  if (failed.length === 0) return []
  const texts: CoreText[] = []
  for (const check of failed) texts.push(reasonText(check, rule, event, functionRegion))
  return texts
}

/**
 * One failed check's message, with only the values it names: the fan-out explains every trigger
 * for every event, so this runs for each trigger an event does not match (a params record for
 * all six checks, with two `JSON.stringify` of the key, and a spread per message cost more than
 * the check itself).
 */
function reasonText(
  check: MatchCheck,
  rule: { bucket: string; event: string; prefix: string; suffix: string },
  event: ReasonEvent,
  functionRegion: string
): CoreText {
  const text = MATCH_REASON_TEXTS[check]
  switch (check) {
    case 'bucket':
      return { text, params: { watched: rule.bucket, bucket: event.bucket } }
    case 'event':
      return { text, params: { listens: rule.event, event: event.name } }
    case 'prefix':
      return { text, params: { key: JSON.stringify(event.key), prefix: JSON.stringify(rule.prefix) } }
    case 'suffix':
      return { text, params: { key: JSON.stringify(event.key), suffix: JSON.stringify(rule.suffix) } }
    case 'enabled':
      return { text }
    case 'region':
      return { text, params: { bucketRegion: event.region, functionRegion } }
  }
}

export function explainMatch(rule: TriggerRule, event: EventShape, functionRegion: string): MatchExplanation {
  const failed: MatchCheck[] = []
  if (rule.bucket !== event.bucket) failed.push('bucket')
  if (!eventNameCovers(rule.event, event.name)) failed.push('event')
  if (!event.key.startsWith(rule.prefix)) failed.push('prefix')
  if (!event.key.endsWith(rule.suffix)) failed.push('suffix')
  if (!rule.enabled) failed.push('enabled')
  if (event.region !== functionRegion) failed.push('region')
  return {
    triggerId: rule.id,
    functionName: rule.functionName,
    matched: failed.length === 0,
    failed,
    reasons: matchReasonTexts(failed, rule, event, functionRegion).map(renderText),
    rule: { bucket: rule.bucket, event: rule.event, prefix: rule.prefix, suffix: rule.suffix, enabled: rule.enabled }
  }
}

/**
 * The explanation with its reasons as messages (`texts`), for the UI: rebuilt from the failed
 * checks, the trigger as it was and the event, so the stored record stays as it is. Records
 * from before the trigger was kept have no `rule`: they keep their English reasons only.
 */
export function withReasonTexts(
  explanation: MatchExplanation,
  event: ReasonEvent,
  functionRegion: string
): MatchExplanation & { texts?: CoreText[] } {
  if (!explanation.rule || explanation.matched) return explanation
  return { ...explanation, texts: matchReasonTexts(explanation.failed, explanation.rule, event, functionRegion) }
}

export function matchingRules(rules: readonly TriggerRule[], event: EventShape, functionRegion: string): TriggerRule[] {
  return rules.filter((rule) => explainMatch(rule, event, functionRegion).matched)
}
