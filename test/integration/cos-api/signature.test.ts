/** Signature verification with credentials configured: the official SDKs, presigned URLs, 403 codes. */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../main/core/clock.ts'
import { REGION, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const SecretId = 'AKIDsigtest'
const SecretKey = 'sig-test-secret'
const Bucket = 'signed-1250000000'
const Region = REGION

let server: TestCosServer
let clock: ManualClock

beforeAll(async () => {
  clock = new ManualClock(Date.now())
  server = await startTestCosServer({ clock, credentials: [{ secretId: SecretId, secretKey: SecretKey }] })
  await client().putBucket({ Bucket, Region })
  await client().putObject({ Bucket, Region, Key: 'dir/hello world.txt', Body: 'hello' })
})
afterAll(() => server.close())

function client(secretId = SecretId, secretKey = SecretKey): COS {
  return new COS({ SecretId: secretId, SecretKey: secretKey, Protocol: 'http:', Ip: `127.0.0.1:${server.port}` })
}

/** Path-style endpoint, as a browser would use it: presigned URLs point straight at the emulator. */
function browserClient(): COS {
  return new COS({ SecretId, SecretKey, Protocol: 'http:', Domain: `127.0.0.1:${server.port}/{Bucket}` })
}

function errorOf(error: unknown): { code: string; message: string; status: number } {
  const e = error as {
    statusCode?: number
    code?: string
    message?: string
    error?: { Code?: string; Message?: string }
  }
  return {
    code: e.error?.Code ?? e.code ?? '',
    message: e.error?.Message ?? e.message ?? '',
    status: e.statusCode ?? 0
  }
}

function presign(params: Parameters<COS['getObjectUrl']>[0]): Promise<string> {
  return new Promise((resolve, reject) =>
    browserClient().getObjectUrl(params, (err, data) => (err ? reject(err) : resolve(data.Url)))
  )
}

describe('q-sign with cos-nodejs-sdk-v5', () => {
  it('accepts requests signed with the configured key', async () => {
    const data = await client().getObject({ Bucket, Region, Key: 'dir/hello world.txt' })
    expect(data.Body.toString()).toBe('hello')
  })

  it('rejects a wrong secret with 403 SignatureDoesNotMatch and shows our StringToSign', async () => {
    const error = errorOf(
      await client(SecretId, 'wrong')
        .headBucket({ Bucket, Region })
        .catch((e: unknown) => e)
    )
    expect(error.status).toBe(403)
    const raw = await client(SecretId, 'wrong')
      .getObject({ Bucket, Region, Key: 'dir/hello world.txt' })
      .catch((e: unknown) => e)
    const detail = errorOf(raw)
    expect(detail.code).toBe('SignatureDoesNotMatch')
    expect(detail.message).toContain('StringToSign: "sha1\\n')
    expect(detail.message).toContain('HttpString: "get\\n/dir/hello world.txt\\n')
  })

  it('rejects an unknown SecretId with InvalidAccessKeyId', async () => {
    const error = errorOf(
      await client('AKIDnobody')
        .getObject({ Bucket, Region, Key: 'x' })
        .catch((e: unknown) => e)
    )
    expect(error).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 })
  })

  it('rejects an unsigned request with AccessDenied', async () => {
    const res = await fetch(`${server.endpoint}/${Bucket}/dir/hello%20world.txt`)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('<Code>AccessDenied</Code>')
  })
})

describe('presigned URLs from getObjectUrl work with plain fetch', () => {
  it('GET with a signed URL', async () => {
    const url = await presign({ Bucket, Region, Key: 'dir/hello world.txt', Sign: true })
    expect(url).toContain('q-signature=')
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hello')
  })

  it('PUT with a signed URL', async () => {
    const url = await presign({ Bucket, Region, Key: 'upload.txt', Method: 'PUT', Sign: true })
    const res = await fetch(url, { method: 'PUT', body: 'from the browser' })
    expect(res.status).toBe(200)
    const data = await client().getObject({ Bucket, Region, Key: 'upload.txt' })
    expect(data.Body.toString()).toBe('from the browser')
  })

  it('a URL for another key → SignatureDoesNotMatch', async () => {
    const url = await presign({ Bucket, Region, Key: 'dir/hello world.txt', Sign: true })
    const res = await fetch(url.replace('hello%20world.txt', 'other.txt'))
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>')
  })

  it('an expired URL → AccessDenied "Request has expired" (the pair the SDKs correct their clock on)', async () => {
    const url = await presign({ Bucket, Region, Key: 'dir/hello world.txt', Sign: true, Expires: 60 })
    clock.advance(120_000) // later requests still fall within the 15-minute skew allowance
    const res = await fetch(url)
    expect(res.status).toBe(403)
    const body = await res.text()
    expect(body).toContain('<Code>AccessDenied</Code>')
    expect(body).toContain('<Message>Request has expired</Message>')
  })
})

describe('SigV4 with @aws-sdk/client-s3', () => {
  const s3 = (secretAccessKey = SecretKey) =>
    new S3Client({
      endpoint: server.endpoint,
      forcePathStyle: true,
      region: REGION,
      credentials: { accessKeyId: SecretId, secretAccessKey }
    })

  it('accepts header-signed requests (streaming payload) with the configured key', async () => {
    await s3().send(new PutObjectCommand({ Bucket, Key: 's3/a.txt', Body: 's3 body' }))
    const got = await s3().send(new GetObjectCommand({ Bucket, Key: 's3/a.txt' }))
    expect(await got.Body?.transformToString()).toBe('s3 body')
  })

  it('rejects a wrong secret with SignatureDoesNotMatch', async () => {
    const error = (await s3('wrong')
      .send(new GetObjectCommand({ Bucket, Key: 's3/a.txt' }))
      .catch((e: unknown) => e)) as { name: string; $metadata: { httpStatusCode: number } }
    expect(error.name).toBe('SignatureDoesNotMatch')
    expect(error.$metadata.httpStatusCode).toBe(403)
  })
})
