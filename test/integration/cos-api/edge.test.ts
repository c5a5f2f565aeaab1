/**
 * Edges real clients hit: AWS SDK aws-chunked streaming uploads, keys with special
 * characters through both SDKs, CORS, 501 for what is not implemented, odd requests.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3'
import { REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'edge-1250000000'
const Region = REGION

const fixture = useCosServer({ buckets: [Bucket] })

const md5 = (data: Uint8Array | string) => createHash('md5').update(data).digest('hex')

async function bytesOf(body: unknown): Promise<Buffer> {
  return Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())
}

describe('aws-chunked uploads (AWS SDK v3 streams)', () => {
  it('decodes a streamed PutObject and does not store aws-chunked as Content-Encoding', async () => {
    const data = randomBytes(300 * 1024 + 7)
    const put = await fixture.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'stream.bin',
        Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
        ContentLength: data.length,
        ContentEncoding: 'gzip'
      })
    )
    expect(put.ETag).toBe(`"${md5(data)}"`)
    const got = await fixture.s3.send(new GetObjectCommand({ Bucket, Key: 'stream.bin' }))
    expect(md5(await bytesOf(got.Body))).toBe(md5(data))
    expect(got.ContentEncoding).toBe('gzip')
  })

  it('decodes signed chunk framing with a trailing checksum sent by hand', async () => {
    const payload = Buffer.from('hello chunked world')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE((await import('node:zlib')).crc32(payload))
    const body = Buffer.concat([
      Buffer.from(`a;chunk-signature=${'0'.repeat(64)}\r\n`),
      payload.subarray(0, 10),
      Buffer.from(`\r\n9;chunk-signature=${'1'.repeat(64)}\r\n`),
      payload.subarray(10),
      Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${crc.toString('base64')}\r\n\r\n`)
    ])
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/hand-chunked`, {
      method: 'PUT',
      body,
      headers: {
        'Content-Encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(payload.length),
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-trailer': 'x-amz-checksum-crc32'
      }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe(`"${md5(payload)}"`)
    const head = await fixture.s3.send(new HeadObjectCommand({ Bucket, Key: 'hand-chunked' }))
    expect(head.ContentEncoding).toBeUndefined()
    expect(head.ContentLength).toBe(payload.length)
  })

  it('rejects a wrong trailing CRC32 with BadDigest and stores nothing', async () => {
    const body = Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n')
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/bad-crc`, {
      method: 'PUT',
      body,
      headers: { 'Content-Encoding': 'aws-chunked', 'x-amz-decoded-content-length': '3' }
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>BadDigest</Code>')
    expect((await fetch(`${fixture.server.endpoint}/${Bucket}/bad-crc`)).status).toBe(404)
  })

  it('rejects a truncated chunked body with IncompleteBody', async () => {
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/short`, {
      method: 'PUT',
      body: '10\r\nonly-a-few',
      headers: { 'Content-Encoding': 'aws-chunked' }
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>IncompleteBody</Code>')
  })
})

const EDGE_KEYS = [
  'unicode 中文/ファイル.txt',
  'with space.txt',
  'plus+sign+',
  'percent%20literal%',
  'question?mark',
  'hash#tag',
  '../escape/../x',
  'a//double/slash',
  'emoji 😀.txt',
  "sub-delims!$&'()*,;=:@~",
  'Case',
  'case'
]

describe('keys with special characters', () => {
  it('round-trip COS SDK → AWS SDK', async () => {
    for (const [i, Key] of EDGE_KEYS.entries()) {
      await fixture.cos.putObject({ Bucket, Region, Key: `cos/${Key}`, Body: `body ${i}` })
      const got = await fixture.s3.send(new GetObjectCommand({ Bucket, Key: `cos/${Key}` }))
      expect(await got.Body?.transformToString(), Key).toBe(`body ${i}`)
    }
    const listed = await fixture.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'cos/' }))
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual(EDGE_KEYS.map((k) => `cos/${k}`).sort())
  })

  it('round-trip AWS SDK → COS SDK', async () => {
    for (const [i, Key] of EDGE_KEYS.entries()) {
      await fixture.s3.send(new PutObjectCommand({ Bucket, Key: `aws/${Key}`, Body: `aws ${i}` }))
      const got = await fixture.cos.getObject({ Bucket, Region, Key: `aws/${Key}` })
      expect(got.Body.toString(), Key).toBe(`aws ${i}`)
    }
    const listed = await fixture.cos.getBucket({ Bucket, Region, Prefix: 'aws/', EncodingType: 'url' })
    expect(listed.Contents.map((c) => decodeURIComponent(c.Key)).sort()).toEqual(
      EDGE_KEYS.map((k) => `aws/${k}`).sort()
    )
  })

  it('never names blob files after keys', () => {
    const names = readdirSync(join(fixture.server.dataDir, 'blobs'), { recursive: true }).map(String)
    expect(names.length).toBeGreaterThan(0)
    expect(names.every((name) => /^[0-9a-f]{2}(\/[0-9a-f]{32})?$/.test(name))).toBe(true)
  })

  it('rejects a key longer than 850 bytes with KeyTooLong', async () => {
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/${'k'.repeat(900)}`, { method: 'PUT', body: 'x' })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>KeyTooLong</Code>')
  })

  it('rejects a malformed percent-encoding with InvalidURI', async () => {
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/bad%zzkey`)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>InvalidURI</Code>')
  })
})

describe('CORS (details in cos-security.test.ts)', () => {
  it('answers a preflight from a loopback origin (the default rule)', async () => {
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/x`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type,x-cos-meta-a'
      }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT')
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-cos-meta-a')
    expect(res.headers.get('x-cos-request-id')).toBeTruthy()
  })

  it('adds Access-Control headers to responses for an allowed origin, errors included; none for others', async () => {
    for (const url of [`${fixture.server.endpoint}/${Bucket}`, `${fixture.server.endpoint}/${Bucket}/missing`]) {
      const res = await fetch(url, { headers: { Origin: 'http://127.0.0.1:3000' } })
      expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000')
      const exposed = res.headers.get('access-control-expose-headers') ?? ''
      for (const name of ['ETag', 'x-cos-request-id', 'x-cos-version-id', 'Content-Length', 'x-cos-delete-marker']) {
        expect(exposed).toContain(name)
      }
      const other = await fetch(url, { headers: { Origin: 'http://example.test' } })
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
    }
  })
})

describe('not implemented and odd requests', () => {
  // ?acl, ?tagging, ?cors, ?lifecycle, ?website … are stored and returned: cos-bucket-config.test.ts
  it.each([
    ['GET', '?somethingnew'],
    ['GET', 'x?select&select-type=2'],
    ['POST', 'x?append&position=0']
  ])('%s %s → 501 NotImplemented', async (method, path) => {
    const url = `${fixture.server.endpoint}/${Bucket}${path.startsWith('?') || path === '' ? '' : '/'}${path}`
    const res = await fetch(url, { method, body: method === 'GET' ? undefined : '' })
    expect(res.status).toBe(501)
    const xml = await res.text()
    expect(xml).toContain('<Code>NotImplemented</Code>')
    expect(xml).toContain('<TraceId>')
  })

  it('ignores x-id and cache-busting parameters', async () => {
    await fixture.cos.putObject({ Bucket, Region, Key: 'plain', Body: 'p' })
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/plain?x-id=GetObject&t=123`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('p')
  })

  it('answers GET Service on the bare host and on cos.<region>.myqcloud.com', async () => {
    const res = await fetch(`${fixture.server.endpoint}/`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain(`<Name>${Bucket}</Name>`)
    const other = await fixture.cos.getService({ Region: 'ap-tokyo' })
    expect(other.Buckets).toEqual([])
  })

  it('answers HEAD and PUT on the service sensibly', async () => {
    const res = await fetch(`${fixture.server.endpoint}/`, { method: 'PUT' })
    expect(res.status).toBe(405)
    expect(await res.text()).toContain('<Code>MethodNotAllowed</Code>')
  })

  it('keeps serving after a client aborts an upload mid-body', async () => {
    const http = await import('node:http')
    await new Promise<void>((resolve) => {
      const req = http.request(`${fixture.server.endpoint}/${Bucket}/aborted`, {
        method: 'PUT',
        headers: { 'Content-Length': '1000000' }
      })
      req.on('error', () => resolve())
      req.write(Buffer.alloc(1000))
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 50)
    })
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/aborted`)
    expect(res.status).toBe(404)
    // the fixture.server removes the temp file once it has seen the connection go (asynchronously)
    const tmp = () => readdirSync(join(fixture.server.dataDir, 'tmp'))
    for (let i = 0; i < 300 && tmp().length > 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(tmp()).toEqual([])
  })
})
