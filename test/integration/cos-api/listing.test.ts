/** List Objects v1 (cos-nodejs-sdk-v5) and v2 (@aws-sdk/client-s3): prefixes, delimiters, paging. */
import { beforeAll, describe, expect, it } from 'vitest'
import { ListObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'listing-1250000000'
const Region = REGION
const KEYS = ['a.txt', 'dir/1.txt', 'dir/2.txt', 'dir/sub/3.txt', 'other/x', 'z y+%.txt', '中文/文件']

const fixture = useCosServer({ buckets: [Bucket] })
beforeAll(async () => {
  for (const Key of KEYS) await fixture.cos.putObject({ Bucket, Region, Key, Body: Key })
})

describe('List Objects v1 through the COS SDK', () => {
  it('lists everything with sizes, ETags and owners', async () => {
    const data = await fixture.cos.getBucket({ Bucket, Region })
    expect(data.Contents.map((c) => c.Key)).toEqual(KEYS)
    const first = data.Contents[0]
    expect(first?.Size).toBe(String(Buffer.byteLength('a.txt')))
    expect(first?.ETag).toMatch(/^"[0-9a-f]{32}"$/)
    expect(data.IsTruncated).toBe('false')
  })

  it('rolls keys up into CommonPrefixes with a delimiter', async () => {
    const data = await fixture.cos.getBucket({ Bucket, Region, Delimiter: '/' })
    expect(data.Contents.map((c) => c.Key)).toEqual(['a.txt', 'z y+%.txt'])
    expect(data.CommonPrefixes.map((p) => p.Prefix)).toEqual(['dir/', 'other/', '中文/'])
  })

  it('narrows to a prefix and pages with NextMarker', async () => {
    const first = await fixture.cos.getBucket({ Bucket, Region, Prefix: 'dir/', MaxKeys: 2 })
    expect(first.Contents.map((c) => c.Key)).toEqual(['dir/1.txt', 'dir/2.txt'])
    expect(first.IsTruncated).toBe('true')
    expect(first.NextMarker).toBe('dir/2.txt')
    const second = await fixture.cos.getBucket({ Bucket, Region, Prefix: 'dir/', MaxKeys: 2, Marker: first.NextMarker })
    expect(second.Contents.map((c) => c.Key)).toEqual(['dir/sub/3.txt'])
    expect(second.IsTruncated).toBe('false')
  })

  it('url-encodes keys and prefixes with encoding-type=url', async () => {
    const data = await fixture.cos.getBucket({ Bucket, Region, Delimiter: '/', EncodingType: 'url' })
    expect(data.EncodingType).toBe('url')
    expect(data.Contents.map((c) => c.Key)).toContain('z%20y%2B%25.txt')
    expect(data.CommonPrefixes.map((p) => decodeURIComponent(p.Prefix))).toContain('中文/')
  })

  it("tells the server's own time for the page in Server-Timing", async () => {
    const data = await fixture.cos.getBucket({ Bucket, Region })
    expect((data as { headers?: Record<string, string> }).headers?.['server-timing']).toMatch(/^list;dur=\d+\.\d\d$/)
  })

  it('answers NoSuchBucket for a missing bucket', async () => {
    const error = await fixture.cos.getBucket({ Bucket: 'absent-1250000000', Region }).catch((e: unknown) => e)
    expect((error as { error: { Code: string } }).error.Code).toBe('NoSuchBucket')
  })
})

describe('ListObjectsV2 through the AWS SDK (path style)', () => {
  it('pages with continuation tokens and counts keys', async () => {
    const seen: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const page = await fixture.s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 3, ContinuationToken: token }))
      pages++
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0)
      seen.push(...(page.Contents ?? []).map((c) => c.Key as string))
      token = page.NextContinuationToken
      if (page.IsTruncated) expect(token).toBeTruthy()
    } while (token)
    expect(seen).toEqual(KEYS)
    expect(pages).toBe(3)
  })

  it('honours start-after, delimiter and fetch-owner', async () => {
    const page = await fixture.s3.send(
      new ListObjectsV2Command({ Bucket, StartAfter: 'dir/2.txt', Delimiter: '/', FetchOwner: true })
    )
    expect(page.StartAfter).toBe('dir/2.txt')
    expect(page.Contents?.map((c) => c.Key)).toEqual(['z y+%.txt'])
    // dir/sub/3.txt sorts after the start key and rolls up into dir/ again, as in S3
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/', 'other/', '中文/'])
    expect(page.KeyCount).toBe(4)
    expect(page.Contents?.[0]?.Owner?.ID).toBe('qcs::cam::uin/1250000000:uin/1250000000')
    const noOwner = await fixture.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'a' }))
    expect(noOwner.Contents?.[0]?.Owner).toBeUndefined()
  })

  it('lists with v1 from the AWS SDK too', async () => {
    const page = await fixture.s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 2 }))
    expect(page.Contents?.map((c) => c.Key)).toEqual(['a.txt'])
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/'])
    expect(page.IsTruncated).toBe(true)
    expect(page.NextMarker).toBe('dir/')
    const next = await fixture.s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', Marker: page.NextMarker }))
    expect(next.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['other/', '中文/'])
    expect(next.Contents?.map((c) => c.Key)).toEqual(['z y+%.txt'])
  })

  it('url-encodes in v2 when asked', async () => {
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}?list-type=2&encoding-type=url&prefix=z`)
    const xml = await res.text()
    expect(res.status).toBe(200)
    expect(xml).toContain('<Key>z%20y%2B%25.txt</Key>')
    expect(xml).toContain('<EncodingType>url</EncodingType>')
  })

  it('rejects a bad max-keys and a bad encoding-type', async () => {
    const bad = await fetch(`${fixture.server.endpoint}/${Bucket}?max-keys=-3`)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('<Code>InvalidArgument</Code>')
    const enc = await fetch(`${fixture.server.endpoint}/${Bucket}?encoding-type=base64`)
    expect(enc.status).toBe(400)
  })
})
