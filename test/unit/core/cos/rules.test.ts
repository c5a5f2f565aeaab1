import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { validateBucketName, parseBucketName } from '../../../../main/core/cos/bucket-name.ts'
import { parseCopySource } from '../../../../main/core/cos/copy-source.ts'
import type { CosError } from '../../../../main/core/cos/errors.ts'
import {
  MIN_PART_SIZE,
  multipartEtag,
  normalizeEtag,
  parsePartNumber,
  selectCompletedParts
} from '../../../../main/core/cos/multipart-rules.ts'
import { validateKey } from '../../../../main/core/cos/object-key.ts'
import { shortRegionCode, isValidRegion } from '../../../../main/core/cos/region.ts'
import { createRequestIdSource, decodeRequestId } from '../../../../main/core/cos/request-id.ts'
import { parseStorageClass } from '../../../../main/core/cos/storage-class.ts'
import { escapeXml, urlEncodeKey } from '../../../../main/core/cos/xml-escape.ts'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as CosError).code
  }
}

describe('bucket names', () => {
  it.each([
    ['examplebucket-1250000000', 'ap-guangzhou', undefined],
    ['a-1250000000', 'ap-guangzhou', undefined],
    ['my-bucket-2-1250000000', 'ap-beijing', undefined],
    ['Upper-1250000000', 'ap-guangzhou', 'InvalidBucketName'],
    ['no_appid', 'ap-guangzhou', 'InvalidBucketName'],
    ['under_score-1250000000', 'ap-guangzhou', 'InvalidBucketName'],
    ['-lead-1250000000', 'ap-guangzhou', 'InvalidBucketName'],
    ['trail--1250000000', 'ap-guangzhou', 'InvalidBucketName'],
    ['dot.name-1250000000', 'ap-guangzhou', 'InvalidBucketName'],
    // the doc's example: exactly 60 characters is allowed
    ['123456789012345678901-1250000000', 'ap-beijing', undefined],
    ['1234567890123456789012-1250000000', 'ap-beijing', 'BucketNameTooLong']
  ])('%s in %s → %s', (name, region, code) => {
    expect(codeOf(() => validateBucketName(name, region))).toBe(code)
  })
  it('splits name and appid', () => {
    expect(parseBucketName('testpic-1253970026')).toEqual({
      full: 'testpic-1253970026',
      short: 'testpic',
      appid: '1253970026'
    })
  })
})

describe('regions', () => {
  it.each([
    ['ap-guangzhou', 'gz'],
    ['ap-chengdu', 'cd'],
    ['ap-tokyo', 'ap-tokyo']
  ])('%s → %s', (region, short) => expect(shortRegionCode(region)).toBe(short))
  it.each([
    ['ap-guangzhou', true],
    ['AP-X', false],
    ['cos.ap-x', false]
  ])('%s valid: %s', (region, ok) => expect(isValidRegion(region)).toBe(ok))
})

describe('object keys', () => {
  it.each([
    ['a', undefined],
    ['../x', undefined],
    ['with space/+%?#', undefined],
    ['中文', undefined],
    ['', 'InvalidObjectName'],
    ['a\u0000b', 'InvalidObjectName'],
    ['x'.repeat(850), undefined],
    ['x'.repeat(851), 'KeyTooLong'],
    ['中'.repeat(284), 'KeyTooLong']
  ])('%j → %s', (key, code) => expect(codeOf(() => validateKey(key))).toBe(code))
})

describe('storage classes', () => {
  it.each([
    [undefined, 'STANDARD'],
    ['archive', 'ARCHIVE'],
    ['DEEP_ARCHIVE', 'DEEP_ARCHIVE']
  ])('%j → %s', (value, expected) => expect(parseStorageClass(value)).toBe(expected))
  it('rejects unknown classes', () => expect(codeOf(() => parseStorageClass('GLACIERX'))).toBe('InvalidArgument'))
})

describe('multipart completion', () => {
  const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')
  const big = MIN_PART_SIZE
  const stored = new Map([
    [1, { partNumber: 1, etag: 'a'.repeat(32), size: big }],
    [2, { partNumber: 2, etag: 'b'.repeat(32), size: 10 }],
    [3, { partNumber: 3, etag: 'c'.repeat(32), size: 5 }]
  ])
  it.each([
    [
      [
        { partNumber: 1, etag: `"${'a'.repeat(32)}"` },
        { partNumber: 2, etag: 'b'.repeat(32) }
      ],
      undefined
    ],
    [
      [
        { partNumber: 2, etag: 'b'.repeat(32) },
        { partNumber: 1, etag: 'a'.repeat(32) }
      ],
      'InvalidPartOrder'
    ],
    [
      [
        { partNumber: 1, etag: 'a'.repeat(32) },
        { partNumber: 1, etag: 'a'.repeat(32) }
      ],
      'InvalidPartOrder'
    ],
    [[{ partNumber: 4, etag: 'a'.repeat(32) }], 'InvalidPart'],
    [[{ partNumber: 1, etag: 'f'.repeat(32) }], 'InvalidPart'],
    [
      [
        { partNumber: 2, etag: 'b'.repeat(32) },
        { partNumber: 3, etag: 'c'.repeat(32) }
      ],
      'EntityTooSmall'
    ],
    [[{ partNumber: 3, etag: 'c'.repeat(32) }], undefined],
    [[], 'MalformedXML']
  ])('%j → %s', (requested, code) => {
    expect(codeOf(() => selectCompletedParts(requested, stored))).toBe(code)
  })
  it('computes the multipart ETag', () => {
    const parts = ['5d41402abc4b2a76b9719d911017c592', '7d793037a0760186574b0282f2f435e7']
    const expected =
      createHash('md5')
        .update(Buffer.from(parts.join(''), 'hex'))
        .digest('hex') + '-2'
    expect(multipartEtag(parts, md5)).toBe(expected)
  })
  it.each([
    ['"abc"', 'abc'],
    ['&quot;ABC&quot;', 'abc'],
    ['W/"x"', 'x']
  ])('normalizes %j', (etag, expected) => expect(normalizeEtag(etag)).toBe(expected))
  it.each([
    ['1', 1],
    ['10000', 10000],
    ['0', undefined],
    ['10001', undefined],
    ['x', undefined],
    [null, undefined]
  ])('part number %j → %j', (value, expected) => expect(parsePartNumber(value)).toBe(expected))
})

describe('copy source', () => {
  it.each([
    [
      'src-1250000000.cos.ap-beijing.myqcloud.com/dir/a%20b%2Bc.txt',
      { bucket: 'src-1250000000', region: 'ap-beijing', key: 'dir/a b+c.txt', versionId: undefined }
    ],
    [
      'src-1250000000.cos.ap-beijing.myqcloud.com/k%3Fq?versionId=MTg0',
      { bucket: 'src-1250000000', region: 'ap-beijing', key: 'k?q', versionId: 'MTg0' }
    ],
    ['/src-1250000000/a/b', { bucket: 'src-1250000000', region: undefined, key: 'a/b', versionId: undefined }],
    ['src-1250000000/%E4%B8%AD', { bucket: 'src-1250000000', region: undefined, key: '中', versionId: undefined }]
  ])('%s', (header, expected) => expect(parseCopySource(header)).toEqual(expected))
  it.each(['nokey', '/bucket/', 'b/%E4'])('rejects %j', (header) => {
    expect(codeOf(() => parseCopySource(header))).toBe('InvalidArgument')
  })
})

describe('request ids', () => {
  it('are base64 of <hex epoch>_<hex>_<hex>_<hex> and unique', () => {
    const next = createRequestIdSource(() => Date.UTC(2018, 11, 19, 7, 49, 30))
    const a = next()
    const b = next()
    expect(a).not.toBe(b)
    expect(decodeRequestId(a)).toMatch(/^5c19f80a_[0-9a-f]+_[0-9a-f]+_[0-9a-f]+$/)
    expect(Buffer.from(a, 'base64').toString()).toBe(decodeRequestId(a))
  })
})

describe('xml escaping', () => {
  it('escapes the five XML specials', () =>
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;'))
  it('url-encodes keys but keeps /', () => expect(urlEncodeKey('a b/c+d%')).toBe('a%20b/c%2Bd%25'))
})
