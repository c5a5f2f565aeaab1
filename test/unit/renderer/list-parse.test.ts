import { describe, expect, it } from 'vitest'
import { parseObjectPage, parseVersionPage } from '../../../renderer/src/lib/cos/list-parse.ts'

const contents = (key: string, size = 1, extra = ''): string =>
  `<Contents><Key>${key}</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>${size}</Size>${extra}</Contents>`

describe('listing pages read in the worker', () => {
  it('decodes url-encoded keys, entities and numeric references; sizes are numbers; class defaults to STANDARD', () => {
    const page = parseObjectPage(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://example">\n  <Name>b</Name>\n` +
        `  <IsTruncated>false</IsTruncated>\n  ${contents('a%20b%2B%E4%B8%AD+x', 42, '<StorageClass>ARCHIVE</StorageClass>')}\n` +
        `  ${contents('x&amp;y&#x41;&#66;')}\n  <CommonPrefixes><Prefix>dir%2F</Prefix></CommonPrefixes>\n</ListBucketResult>`
    )
    expect(page.files).toEqual([
      { key: 'a b+中 x', size: 42, lastModified: '2026-01-02T03:04:05.000Z', etag: '"abc"', storageClass: 'ARCHIVE' },
      { key: 'x&yAB', size: 1, lastModified: '2026-01-02T03:04:05.000Z', etag: '"abc"', storageClass: 'STANDARD' }
    ])
    expect(page.folders).toEqual(['dir/'])
    expect(page.nextMarker).toBeUndefined()
  })

  it('keeps spaces around keys and one-element lists as lists', () => {
    const page = parseObjectPage(`<ListBucketResult>${contents(' spaced ')}</ListBucketResult>`)
    expect(page.files.map((file) => file.key)).toEqual([' spaced '])
  })

  it('a truncated page without NextMarker continues after its last key or folder', () => {
    const page = parseObjectPage(
      `<ListBucketResult><IsTruncated>true</IsTruncated>${contents('a')}<CommonPrefixes><Prefix>z%2F</Prefix></CommonPrefixes></ListBucketResult>`
    )
    expect(page.nextMarker).toBe('z/')
    const given = parseObjectPage(
      `<ListBucketResult><IsTruncated>true</IsTruncated><NextMarker>m%2Fn</NextMarker></ListBucketResult>`
    )
    expect(given.nextMarker).toBe('m/n')
  })

  it('versions and delete markers come back in key order, newest first per key', () => {
    const version = (key: string, id: string, time: string): string =>
      `<Version><Key>${key}</Key><VersionId>${id}</VersionId><IsLatest>false</IsLatest><LastModified>${time}</LastModified><ETag>&quot;e&quot;</ETag><Size>3</Size></Version>`
    const page = parseVersionPage(
      `<ListVersionsResult><IsTruncated>true</IsTruncated><NextKeyMarker>b</NextKeyMarker><NextVersionIdMarker>v9</NextVersionIdMarker>` +
        version('a', 'v1', '2026-01-01T00:00:00.000Z') +
        `<DeleteMarker><Key>a</Key><VersionId>m2</VersionId><IsLatest>true</IsLatest><LastModified>2026-01-02T00:00:00.000Z</LastModified></DeleteMarker>` +
        version('b', 'v3', '2026-01-01T00:00:00.000Z') +
        `</ListVersionsResult>`
    )
    expect(page.versions.map((entry) => [entry.key, entry.versionId, entry.deleteMarker, entry.storageClass])).toEqual([
      ['a', 'm2', true, ''],
      ['a', 'v1', false, 'STANDARD'],
      ['b', 'v3', false, 'STANDARD']
    ])
    expect([page.nextKeyMarker, page.nextVersionIdMarker]).toEqual(['b', 'v9'])
  })

  it('of a version and a delete marker with the same time, the latest comes first', () => {
    const time = '2026-01-01T00:00:00Z'
    const page = parseVersionPage(
      `<ListVersionsResult><IsTruncated>false</IsTruncated>` +
        `<Version><Key>a</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest><LastModified>${time}</LastModified><Size>3</Size></Version>` +
        `<DeleteMarker><Key>a</Key><VersionId>m2</VersionId><IsLatest>true</IsLatest><LastModified>${time}</LastModified></DeleteMarker>` +
        `</ListVersionsResult>`
    )
    expect(page.versions.map((entry) => [entry.versionId, entry.isLatest])).toEqual([
      ['m2', true],
      ['v1', false]
    ])
  })

  it('an answer that is not a listing is an error, not an empty page', () => {
    expect(() => parseObjectPage('<Error><Code>NoSuchBucket</Code></Error>')).toThrow(/ListBucketResult/)
  })
})
