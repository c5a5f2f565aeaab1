/** x-cos-copy-source-If-* (and x-amz-copy-source-if-*) as a check on the source version. */
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
