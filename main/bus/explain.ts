/**
 * "Why didn't my trigger fire?": the recent events of a key with the per-trigger
 * explanation recorded when each was dispatched; when there is none, how the current
 * triggers would treat a Put and a Delete of that key.
 */
import { parseBucketRef } from '../core/events/bucket-ref.ts'
import { explainMatch, withReasonTexts, type MatchExplanation } from '../core/events/matching.ts'
import type { TriggerRule } from '../core/events/trigger-rule.ts'
import type { RecentEvent, RecentEvents } from '../store/recent-events.ts'

export interface ExplainResult {
  bucket: string
  key: string
  events: RecentEvent[]
  hypothetical: { event: string; explanations: MatchExplanation[] }[]
  triggers: TriggerRule[]
}

export function explainKey(
  input: { bucket: string; key: string },
  deps: {
    recent: RecentEvents
    triggers: readonly TriggerRule[]
    appid: string
    region: string
    bucketRegion?: (bucket: string) => string | undefined
  }
): ExplainResult {
  const ref = parseBucketRef(input.bucket, deps.appid)
  const events = deps.recent.list({ bucket: ref.bucket, key: input.key, limit: 20 }).map((event) => ({
    ...event,
    explanations: event.explanations.map((explanation) => withReasonTexts(explanation, event, deps.region))
  }))
  const region = ref.region ?? deps.bucketRegion?.(ref.bucket) ?? deps.region
  const hypothetical =
    events.length > 0
      ? []
      : (['cos:ObjectCreated:Put', 'cos:ObjectRemove:Delete'] as const).map((name) => {
          const event = { name, bucket: ref.bucket, key: input.key, region }
          return {
            event: name,
            explanations: deps.triggers.map((trigger) =>
              withReasonTexts(explainMatch(trigger, event, deps.region), event, deps.region)
            )
          }
        })
  return { bucket: ref.bucket, key: input.key, events, hypothetical, triggers: [...deps.triggers] }
}
