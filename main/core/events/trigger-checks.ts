/**
 * The rules a new (or updated) COS trigger must pass before it is stored: same region,
 * no overlap with another rule of the bucket, and the per-function / per-bucket limits.
 */
import { CosError } from '../cos/errors.ts'
import { findRuleConflict } from './trigger-conflicts.ts'
import { MAX_RULES_PER_BUCKET, MAX_TRIGGERS_PER_FUNCTION, type TriggerRule } from './trigger-rule.ts'

/**
 * Throws a CosError when `candidate` may not be added next to `existing`
 * (pass `existing` without the rule being replaced when updating).
 */
export function checkNewTrigger(
  existing: readonly TriggerRule[],
  candidate: TriggerRule,
  functionRegion: string
): void {
  if (candidate.region !== functionRegion) {
    throw new CosError(
      'InvalidRegionName',
      `COS triggers can only trigger functions in the same region: bucket ${candidate.bucket} is in ${candidate.region}, function ${candidate.functionName} in ${functionRegion}`
    )
  }
  const conflict = findRuleConflict(existing, candidate)
  if (conflict) throw new CosError(conflict.code, conflict.message)
  const ofFunction = existing.filter((rule) => rule.functionName === candidate.functionName).length
  if (ofFunction >= MAX_TRIGGERS_PER_FUNCTION) {
    throw new CosError(
      'LimitExceeded',
      `Function ${candidate.functionName} already has ${ofFunction} COS triggers; at most ${MAX_TRIGGERS_PER_FUNCTION} are allowed`
    )
  }
  const ofBucket = existing.filter((rule) => rule.bucket === candidate.bucket).length
  if (ofBucket >= MAX_RULES_PER_BUCKET) {
    throw new CosError(
      'LimitExceeded',
      `Bucket ${candidate.bucket} already has ${ofBucket} trigger rules; at most ${MAX_RULES_PER_BUCKET} are allowed`
    )
  }
}
