import { describe, expect, it } from 'vitest'
import { evaluateConditions, etagListMatches } from '../../../main/core/cos/conditional.ts'
import { contentRange, evaluateRange } from '../../../main/core/cos/range.ts'

describe('evaluateRange', () => {
  it.each([
    [undefined, 100, { kind: 'full' }],
    ['bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-1000', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=50-1000', 100, { kind: 'partial', start: 50, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=100-200', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=9-3', 100, { kind: 'full' }],
    ['bytes=0-1,5-6', 100, { kind: 'full' }],
    ['items=0-1', 100, { kind: 'full' }],
    ['bytes=abc', 100, { kind: 'full' }],
    [' bytes = 1 - 2 ', 100, { kind: 'partial', start: 1, end: 2 }]
  ])('%j of %i bytes', (header, size, expected) => {
    expect(evaluateRange(header, size)).toEqual(expected)
  })
  it('formats Content-Range', () => {
    expect(contentRange(0, 9, 100)).toBe('bytes 0-9/100')
  })
})

describe('evaluateConditions', () => {
  const etag = 'abc'
  const modified = Date.UTC(2024, 0, 1, 12, 0, 0, 500)
  const before = 'Mon, 01 Jan 2024 11:00:00 GMT'
  const same = 'Mon, 01 Jan 2024 12:00:00 GMT'
  const after = 'Mon, 01 Jan 2024 13:00:00 GMT'
  it.each([
    [{}, 'proceed'],
    [{ ifMatch: '"abc"' }, 'proceed'],
    [{ ifMatch: 'abc' }, 'proceed'],
    [{ ifMatch: '"x", "abc"' }, 'proceed'],
    [{ ifMatch: '*' }, 'proceed'],
    [{ ifMatch: '"x"' }, 'precondition-failed'],
    [{ ifNoneMatch: '"abc"' }, 'not-modified'],
    [{ ifNoneMatch: 'W/"abc"' }, 'not-modified'],
    [{ ifNoneMatch: '"x"' }, 'proceed'],
    [{ ifModifiedSince: before }, 'proceed'],
    [{ ifModifiedSince: same }, 'not-modified'],
    [{ ifModifiedSince: after }, 'not-modified'],
    [{ ifModifiedSince: 'garbage' }, 'proceed'],
    [{ ifUnmodifiedSince: before }, 'precondition-failed'],
    [{ ifUnmodifiedSince: same }, 'proceed'],
    // If-Match passing makes If-Unmodified-Since irrelevant (S3 precedence)
    [{ ifMatch: '"abc"', ifUnmodifiedSince: before }, 'proceed'],
    // If-None-Match present: If-Modified-Since is ignored
    [{ ifNoneMatch: '"x"', ifModifiedSince: after }, 'proceed'],
    [{ ifNoneMatch: '"abc"', ifModifiedSince: before }, 'not-modified'],
    // 412 wins over 304
    [{ ifMatch: '"x"', ifNoneMatch: '"abc"' }, 'precondition-failed']
  ] as const)('%j → %s', (conditions, expected) => {
    expect(evaluateConditions(conditions, etag, modified)).toBe(expected)
  })
  it('matches multipart ETags', () => {
    expect(etagListMatches('"d41d8cd98f00b204e9800998ecf8427e-3"', 'd41d8cd98f00b204e9800998ecf8427e-3')).toBe(true)
  })
})
