/**
 * Checks on the source version of PUT Object - Copy and Upload Part - Copy:
 * x-cos-copy-source-If-* (and x-amz-copy-source-if-*), and the archive state of the source.
 */
import { evaluateCopySourceConditions } from '../core/cos/conditional.ts'
import type { ObjectVersion } from '../storage/object-store.ts'
import type { Exchange } from './exchange.ts'

export function copySourceCondition(ex: Exchange): ((source: ObjectVersion) => boolean) | undefined {
  const conditions = {
    ifMatch: ex.cosHeader('copy-source-if-match'),
    ifNoneMatch: ex.cosHeader('copy-source-if-none-match'),
    ifModifiedSince: ex.cosHeader('copy-source-if-modified-since'),
    ifUnmodifiedSince: ex.cosHeader('copy-source-if-unmodified-since')
  }
  if (Object.values(conditions).every((value) => value === undefined)) return undefined
  return (source) => evaluateCopySourceConditions(conditions, source.etag, source.lastModified)
}

/**
 * A copy-source condition that first refuses an unrestored ARCHIVE / DEEP_ARCHIVE source
 * (403 InvalidObjectState), for PUT Object - Copy and Upload Part - Copy.
 */
export function archiveAware(
  ex: Exchange,
  condition: ((source: ObjectVersion) => boolean) | undefined
): (source: ObjectVersion) => boolean {
  return (source) => {
    ex.features.restores.assertReadable(source, 'Copy')
    return condition ? condition(source) : true
  }
}
