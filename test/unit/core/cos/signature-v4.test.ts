import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SignatureV4 } from '@smithy/signature-v4'
import { verifyV4 } from '../../../../main/core/cos/signature-v4.ts'
import type { SignableRequest } from '../../../../main/core/cos/signature-check.ts'

/** A node:crypto SHA-256 in the shape smithy's signer expects (hash or HMAC with a key). */
type SourceData = string | ArrayBuffer | ArrayBufferView
const bytes = (data: SourceData) =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data)
class Sha256 {
  #hash: Hash | Hmac
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret))
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data))
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest())
  }
}

const accessKeyId = 'AKIDlocal'
const secretAccessKey = 'local-secret-key'
const secrets = (id: string) => (id === accessKeyId ? secretAccessKey : undefined)
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0)

function signer(secret = secretAccessKey) {
  return new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret },
    region: 'ap-guangzhou',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: true
  })
}

interface Plain {
  method: string
  hostname: string
  port?: number
  path: string
  query: Record<string, string>
  headers: Record<string, string>
}

function plain(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  query: Record<string, string> = {},
  port?: number
): Plain {
  const host = port ? `127.0.0.1:${port}` : '127.0.0.1'
  return { method, hostname: '127.0.0.1', port, path, query, headers: { host, ...headers } }
}

function toSignable(req: {
  method: string
  path: string
  query?: Record<string, unknown>
  headers: Record<string, string>
}): SignableRequest {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v
  const query = Object.entries(req.query ?? {}).map(([k, v]) => [k, String(v ?? '')] as [string, string])
  return { method: req.method, rawPath: req.path, query, headers }
}

async function signHeader(req: Plain, secret?: string) {
  const signed = await signer(secret).sign({ protocol: 'http:', ...req } as never, { signingDate: new Date(NOW) })
  return signed as unknown as Plain
}

describe('SigV4 verification against @smithy/signature-v4', () => {
  const payloads = [
    'UNSIGNED-PAYLOAD',
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    createHash('sha256').update('hello').digest('hex')
  ]
  for (const payload of payloads) {
    it(`header form with x-amz-content-sha256: ${payload.slice(0, 40)}`, async () => {
      const req = plain(
        'PUT',
        '/bucket-1250000000/dir/a%20b%2Bc.txt',
        { 'x-amz-content-sha256': payload, 'content-type': 'text/plain' },
        {},
        9000
      )
      const signed = await signHeader(req)
      expect(verifyV4(toSignable(signed), secrets, NOW)).toEqual({ ok: true, accessKeyId, scheme: 'aws4' })
    })
  }

  it('header form with query params and a unicode key', async () => {
    const key = '/b/' + encodeURIComponent('中文 (1).txt')
    const signed = await signHeader(
      plain(
        'GET',
        key,
        { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        { 'list-type': '2', prefix: 'a b/', 'x-id': 'GetObject' }
      )
    )
    expect(verifyV4(toSignable(signed), secrets, NOW).ok).toBe(true)
  })

  it('tampered header → SignatureDoesNotMatch with canonical request and string-to-sign', async () => {
    const signed = await signHeader(
      plain('PUT', '/b/k', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-meta-a': '1' })
    )
    signed.headers['x-amz-meta-a'] = '2'
    const result = verifyV4(toSignable(signed), secrets, NOW)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.code).toBe('SignatureDoesNotMatch')
    expect(result.stringToSign).toMatch(
      /^AWS4-HMAC-SHA256\n20260101T120000Z\n20260101\/ap-guangzhou\/s3\/aws4_request\n[0-9a-f]{64}$/
    )
    expect(result.canonicalRequest).toContain('x-amz-meta-a:2\n')
  })

  it('wrong secret → SignatureDoesNotMatch; unknown key → InvalidAccessKeyId', async () => {
    const wrong = await signHeader(plain('GET', '/b/k', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), 'nope')
    const r1 = verifyV4(toSignable(wrong), secrets, NOW)
    expect(r1.ok || r1.code).toBe('SignatureDoesNotMatch')
    const r2 = verifyV4(toSignable(wrong), () => undefined, NOW)
    expect(r2.ok || r2.code).toBe('InvalidAccessKeyId')
  })

  it('header form more than 15 minutes off → RequestTimeTooSkewed', async () => {
    const signed = await signHeader(plain('GET', '/b/k', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }))
    const r = verifyV4(toSignable(signed), secrets, NOW + 16 * 60 * 1000)
    expect(r.ok || r.code).toBe('RequestTimeTooSkewed')
  })

  it('presigned URL verifies within X-Amz-Expires and expires after it', async () => {
    const req = plain('GET', '/bucket-1250000000/photo.jpg', {}, { 'response-content-type': 'image/jpeg' }, 9000)
    const presigned = (await signer().presign({ protocol: 'http:', ...req } as never, {
      signingDate: new Date(NOW),
      expiresIn: 600
    })) as unknown as Plain
    expect(presigned.query['X-Amz-Expires']).toBe('600')
    expect(verifyV4(toSignable(presigned), secrets, NOW + 599_000).ok).toBe(true)
    const late = verifyV4(toSignable(presigned), secrets, NOW + 601_000)
    expect(late).toMatchObject({ ok: false, code: 'AccessDenied', message: 'Request has expired' })
  })

  it('presigned with UNSIGNED-PAYLOAD declared (the S3 presigner’s way)', async () => {
    const req = plain('PUT', '/b/up.bin', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })
    const presigned = (await signer().presign({ protocol: 'http:', ...req } as never, {
      signingDate: new Date(NOW),
      expiresIn: 60
    })) as unknown as Plain
    delete presigned.headers['x-amz-content-sha256']
    expect(verifyV4(toSignable(presigned), secrets, NOW).ok).toBe(true)
  })

  it('tampered presigned query → SignatureDoesNotMatch', async () => {
    const req = plain('GET', '/b/k', {}, { 'response-content-type': 'a' })
    const presigned = (await signer().presign({ protocol: 'http:', ...req } as never, {
      signingDate: new Date(NOW),
      expiresIn: 60
    })) as unknown as Plain
    presigned.query['response-content-type'] = 'b'
    const r = verifyV4(toSignable(presigned), secrets, NOW)
    expect(r.ok || r.code).toBe('SignatureDoesNotMatch')
  })

  it('presigned with X-Amz-Expires over 7 days → AccessDenied', () => {
    const r = verifyV4(
      {
        method: 'GET',
        rawPath: '/b/k',
        headers: { host: 'h' },
        query: [
          ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
          ['X-Amz-Credential', `${accessKeyId}/20260101/r/s3/aws4_request`],
          ['X-Amz-Date', '20260101T120000Z'],
          ['X-Amz-Expires', '604801'],
          ['X-Amz-SignedHeaders', 'host'],
          ['X-Amz-Signature', 'ab']
        ]
      },
      secrets,
      NOW
    )
    expect(r.ok || r.code).toBe('AccessDenied')
  })
})
