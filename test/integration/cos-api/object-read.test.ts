/** GET/HEAD details: Range (206/416), conditionals (304/412), response-* overrides — AWS SDK and raw HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { s3Client, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

let server: TestCosServer
let s3: S3Client
const Bucket = 'reads-1250000000'
const Key = 'digits.txt'
const BODY = '0123456789'
let etag = ''
let url = ''

beforeAll(async () => {
  server = await startTestCosServer()
  s3 = s3Client(server.port)
  server.store.createBucket(Bucket, 'ap-guangzhou')
  const put = await s3.send(
    new PutObjectCommand({ Bucket, Key, Body: BODY, ContentType: 'text/plain', Metadata: { owner: 'me' } })
  )
  etag = put.ETag as string
  url = `${server.endpoint}/${Bucket}/${Key}`
})
afterAll(() => server.close())

function errorCode(error: unknown): string {
  return (error as { Code?: string; name?: string }).Code ?? (error as { name: string }).name
}

describe('Range', () => {
  it.each([
    ['bytes=0-3', '0123', 'bytes 0-3/10'],
    ['bytes=7-', '789', 'bytes 7-9/10'],
    ['bytes=-2', '89', 'bytes 8-9/10'],
    ['bytes=5-100', '56789', 'bytes 5-9/10']
  ])('%s → 206 %s', async (Range, text, contentRange) => {
    const got = await s3.send(new GetObjectCommand({ Bucket, Key, Range }))
    expect(got.$metadata.httpStatusCode).toBe(206)
    expect(await got.Body?.transformToString()).toBe(text)
    expect(got.ContentRange).toBe(contentRange)
    expect(got.ContentLength).toBe(text.length)
  })

  it('answers 416 InvalidRange past the end', async () => {
    const res = await fetch(url, { headers: { Range: 'bytes=10-' } })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe('bytes */10')
    expect(await res.text()).toContain('<Code>InvalidRange</Code>')
    const error = await s3.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=20-30' })).catch((e: unknown) => e)
    expect(errorCode(error)).toBe('InvalidRange')
  })

  it('ignores a malformed or multi-range header (whole object, 200)', async () => {
    for (const range of ['bytes=5-2', 'bytes=0-1,3-4', 'lines=1-2']) {
      const res = await fetch(url, { headers: { Range: range } })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(BODY)
    }
  })
})

describe('conditional requests', () => {
  it('If-None-Match with the ETag → 304', async () => {
    const res = await fetch(url, { headers: { 'If-None-Match': etag } })
    expect(res.status).toBe(304)
    expect(res.headers.get('etag')).toBe(etag)
    expect(res.headers.get('x-cos-request-id')).toBeTruthy()
  })

  it('If-Match with another ETag → 412 PreconditionFailed', async () => {
    const res = await fetch(url, { headers: { 'If-Match': '"0000"' } })
    expect(res.status).toBe(412)
    expect(await res.text()).toContain('<Code>PreconditionFailed</Code>')
    const error = await s3.send(new GetObjectCommand({ Bucket, Key, IfMatch: '"0000"' })).catch((e: unknown) => e)
    expect(errorCode(error)).toBe('PreconditionFailed')
  })

  it('If-Modified-Since in the future → 304; in the past → 200', async () => {
    const future = new Date(Date.now() + 3600_000)
    const past = new Date(Date.now() - 3600_000)
    const notModified = await s3
      .send(new HeadObjectCommand({ Bucket, Key, IfModifiedSince: future }))
      .catch((e: unknown) => e)
    expect((notModified as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(304)
    const modified = await s3.send(new GetObjectCommand({ Bucket, Key, IfModifiedSince: past }))
    expect(await modified.Body?.transformToString()).toBe(BODY)
  })

  it('If-Unmodified-Since in the past → 412', async () => {
    const res = await fetch(url, { headers: { 'If-Unmodified-Since': new Date(Date.now() - 3600_000).toUTCString() } })
    expect(res.status).toBe(412)
  })

  it('If-Match passing makes a failing If-Unmodified-Since irrelevant', async () => {
    const res = await fetch(url, {
      headers: { 'If-Match': etag, 'If-Unmodified-Since': new Date(Date.now() - 3600_000).toUTCString() }
    })
    expect(res.status).toBe(200)
  })
})

describe('response overrides and metadata', () => {
  it('applies response-* query parameters', async () => {
    const got = await s3.send(
      new GetObjectCommand({
        Bucket,
        Key,
        ResponseContentType: 'application/json',
        ResponseContentDisposition: 'attachment; filename="d.json"',
        ResponseCacheControl: 'no-cache',
        ResponseContentLanguage: 'zh-CN',
        ResponseContentEncoding: 'identity',
        ResponseExpires: new Date('2031-01-01T00:00:00Z')
      })
    )
    expect(got.ContentType).toBe('application/json')
    expect(got.ContentDisposition).toBe('attachment; filename="d.json"')
    expect(got.CacheControl).toBe('no-cache')
    expect(got.ContentLanguage).toBe('zh-CN')
    expect(got.ContentEncoding).toBe('identity')
    expect(got.Metadata).toEqual({ owner: 'me' })
  })

  it('answers HEAD of a missing key with 404 and no body', async () => {
    const res = await fetch(`${server.endpoint}/${Bucket}/missing`, { method: 'HEAD' })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-cos-request-id')).toBeTruthy()
  })

  it('writes COS error XML with all five nodes', async () => {
    const res = await fetch(`${server.endpoint}/${Bucket}/missing`)
    const xml = await res.text()
    for (const node of ['Code', 'Message', 'Resource', 'RequestId', 'TraceId']) expect(xml).toContain(`<${node}>`)
    expect(xml).toContain(`<RequestId>${res.headers.get('x-cos-request-id')}</RequestId>`)
    expect(res.headers.get('server')).toBe('tencent-cos')
    expect(res.headers.get('content-type')).toBe('application/xml')
  })
})
