/**
 * Conditional GET/HEAD (RFC 9110 §13.2.2 order, as S3 and COS apply it):
 * If-Match (fails → 412; passes → If-Unmodified-Since is skipped), If-Unmodified-Since
 * (→ 412), If-None-Match (matches → 304; present → If-Modified-Since is skipped),
 * If-Modified-Since (→ 304). The copy-source variants answer 412 for every failure.
 */

export interface Conditions {
  ifMatch?: string
  ifNoneMatch?: string
  ifModifiedSince?: string
  ifUnmodifiedSince?: string
}

export type ConditionOutcome = 'proceed' | 'not-modified' | 'precondition-failed'

/** `etag` without quotes; `lastModified` in epoch milliseconds. */
export function evaluateConditions(conditions: Conditions, etag: string, lastModified: number): ConditionOutcome {
  const modifiedSeconds = Math.floor(lastModified / 1000)
  if (conditions.ifMatch !== undefined) {
    if (!etagListMatches(conditions.ifMatch, etag)) return 'precondition-failed'
  } else if (conditions.ifUnmodifiedSince !== undefined) {
    const since = parseHttpDate(conditions.ifUnmodifiedSince)
    if (since !== undefined && modifiedSeconds > since) return 'precondition-failed'
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (etagListMatches(conditions.ifNoneMatch, etag)) return 'not-modified'
  } else if (conditions.ifModifiedSince !== undefined) {
    const since = parseHttpDate(conditions.ifModifiedSince)
    if (since !== undefined && modifiedSeconds <= since) return 'not-modified'
  }
  return 'proceed'
}

/** Copy-source conditions (`x-cos-copy-source-If-*`): any failure is 412. */
export function evaluateCopySourceConditions(conditions: Conditions, etag: string, lastModified: number): boolean {
  return evaluateConditions(conditions, etag, lastModified) === 'proceed'
}

/** Does a header value (`"a", "b"`, `*`, `W/"a"`, or a bare tag) name this ETag? */
export function etagListMatches(header: string, etag: string): boolean {
  for (const raw of header.split(',')) {
    let tag = raw.trim()
    if (tag === '*') return true
    if (tag.startsWith('W/')) tag = tag.slice(2)
    if (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"')) tag = tag.slice(1, -1)
    if (tag === etag) return true
  }
  return false
}

/** Epoch seconds of an HTTP date, undefined when it does not parse. */
export function parseHttpDate(value: string): number | undefined {
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}
