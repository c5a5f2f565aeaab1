/** POST Object (browser form upload) with FormData + fetch, open mode and signed forms. */
import { createHash, createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import COS from 'cos-nodejs-sdk-v5'
import { cosClient, REGION, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'forms-1250000000'
const Region = REGION

function form(fields: Record<string, string>, file: { name: string; body: string | Uint8Array; type?: string } | null) {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) data.append(name, value)
  if (file) data.append('file', new Blob([file.body], { type: file.type ?? 'application/octet-stream' }), file.name)
  return data
}

async function errorCode(res: Response): Promise<string> {
  return /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1] ?? ''
}

describe('open mode', () => {
  let server: TestCosServer
  let cos: COS
  let url: string
  beforeAll(async () => {
    server = await startTestCosServer()
    cos = cosClient(server.port)
    await cos.putBucket({ Bucket, Region })
    url = `${server.endpoint}/${Bucket}`
  })
  afterAll(() => server.close())

  it('stores the file under ${filename} with form headers and metadata; 201 returns PostResponse', async () => {
    const res = await fetch(url, {
      method: 'POST',
      body: form(
        {
          key: 'uploads/${filename}',
          'Content-Type': 'text/plain',
          'Cache-Control': 'max-age=60',
          'x-cos-meta-color': 'blue',
          success_action_status: '201'
        },
        { name: 'note.txt', body: 'hello form', type: 'image/png' }
      )
    })
    expect(res.status).toBe(201)
    const xml = await res.text()
    expect(xml).toContain('<Key>uploads/note.txt</Key>')
    expect(xml).toContain(`<Bucket>${Bucket}</Bucket>`)
    expect(res.headers.get('etag')).toBe(`"${createHash('md5').update('hello form').digest('hex')}"`)

    const data = await cos.getObject({ Bucket, Region, Key: 'uploads/note.txt' })
    expect(data.Body.toString()).toBe('hello form')
    expect(data.headers?.['content-type']).toBe('text/plain')
    expect(data.headers?.['cache-control']).toBe('max-age=60')
    expect(data.headers?.['x-cos-meta-color']).toBe('blue')

    const events = server.queue.pending(0, 1000).map((q) => q.event)
    const posted = events.find((e) => e.key === 'uploads/note.txt')
    expect(posted).toMatchObject({ name: 'cos:ObjectCreated:Post', bucket: Bucket, size: 10 })
    expect(posted?.meta['x-cos-meta-color']).toBe('blue')
  })

  it('answers 204 by default and 200 when asked', async () => {
    const r1 = await fetch(url, { method: 'POST', body: form({ key: 'a.bin' }, { name: 'x', body: 'a' }) })
    expect(r1.status).toBe(204)
    const r2 = await fetch(url, {
      method: 'POST',
      body: form({ key: 'b.bin', success_action_status: '200' }, { name: 'x', body: 'b' })
    })
    expect(r2.status).toBe(200)
  })

  it('redirects to success_action_redirect with bucket, key and etag', async () => {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      body: form(
        { key: 'r.txt', success_action_redirect: 'https://example.com/done?x=1' },
        { name: 'r.txt', body: 'r' }
      )
    })
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') ?? '')
    expect(location.origin + location.pathname).toBe('https://example.com/done')
    expect(location.searchParams.get('x')).toBe('1')
    expect(location.searchParams.get('bucket')).toBe(Bucket)
    expect(location.searchParams.get('key')).toBe('r.txt')
  })

  it('stores x-cos-storage-class', async () => {
    await fetch(url, {
      method: 'POST',
      body: form({ key: 'cold.txt', 'x-cos-storage-class': 'ARCHIVE' }, { name: 'c', body: 'c' })
    })
    const head = await cos.headObject({ Bucket, Region, Key: 'cold.txt' })
    expect(head.headers?.['x-cos-storage-class']).toBe('ARCHIVE')
  })

  it('streams a large file (24 MiB) intact', async () => {
    const body = new Uint8Array(24 * 1024 * 1024).map((_, i) => i % 251)
    const res = await fetch(url, { method: 'POST', body: form({ key: 'big.bin' }, { name: 'big.bin', body }) })
    expect(res.status).toBe(204)
    const head = await cos.headObject({ Bucket, Region, Key: 'big.bin' })
    expect(head.headers?.['content-length']).toBe(String(body.length))
    expect(head.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`)
  })

  it('errors: no file, no key, not multipart', async () => {
    const none = await fetch(url, { method: 'POST', body: form({ key: 'k' }, null) })
    expect(none.status).toBe(400)
    expect(await errorCode(none)).toBe('IncorrectNumberOfFilesInPostRequest')
    const noKey = await fetch(url, { method: 'POST', body: form({}, { name: 'f', body: 'x' }) })
    expect(await errorCode(noKey)).toBe('InvalidArgument')
    const plain = await fetch(url, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })
    expect(await errorCode(plain)).toBe('MalformedPOSTRequest')
  })
})

describe('with credentials: policy and q-sign fields', () => {
  const SecretId = 'AKIDform'
  const SecretKey = 'form-secret'
  let server: TestCosServer
  let url: string

  beforeAll(async () => {
    server = await startTestCosServer({ credentials: [{ secretId: SecretId, secretKey: SecretKey }] })
    const cos = new COS({ SecretId, SecretKey, Protocol: 'http:', Ip: `127.0.0.1:${server.port}` })
    await cos.putBucket({ Bucket, Region })
    url = `${server.endpoint}/${Bucket}`
  })
  afterAll(() => server.close())

  /** The signed fields a web page gets from its server, computed as COS documents it. */
  function signedFields(conditions: unknown[], secret = SecretKey): Record<string, string> {
    const now = Math.floor(Date.now() / 1000)
    const keyTime = `${now - 60};${now + 600}`
    const policy = JSON.stringify({
      expiration: new Date((now + 600) * 1000).toISOString(),
      conditions: [{ 'q-sign-algorithm': 'sha1' }, { 'q-ak': SecretId }, { 'q-sign-time': keyTime }, ...conditions]
    })
    const signKey = createHmac('sha1', secret).update(keyTime).digest('hex')
    const signature = createHmac('sha1', signKey).update(createHash('sha1').update(policy).digest('hex')).digest('hex')
    return {
      policy: Buffer.from(policy).toString('base64'),
      'q-sign-algorithm': 'sha1',
      'q-ak': SecretId,
      'q-key-time': keyTime,
      'q-signature': signature
    }
  }

  it('accepts a correctly signed form', async () => {
    const fields = { key: 'user/${filename}', ...signedFields([{ bucket: Bucket }, ['starts-with', '$key', 'user/']]) }
    const res = await fetch(url, { method: 'POST', body: form(fields, { name: 'ok.txt', body: 'signed' }) })
    expect(res.status).toBe(204)
    expect(server.store.headObject(Bucket, 'user/ok.txt').size).toBe(6)
  })

  it('rejects a wrong secret, a broken condition, an unsigned form and a too large file', async () => {
    const wrong = await fetch(url, {
      method: 'POST',
      body: form({ key: 'k', ...signedFields([], 'bad') }, { name: 'f', body: 'x' })
    })
    expect(wrong.status).toBe(403)
    expect(await errorCode(wrong)).toBe('SignatureDoesNotMatch')

    const fields = { key: 'other/${filename}', ...signedFields([['starts-with', '$key', 'user/']]) }
    const denied = await fetch(url, { method: 'POST', body: form(fields, { name: 'f', body: 'x' }) })
    expect(denied.status).toBe(403)
    expect(await errorCode(denied)).toBe('AccessDenied')

    const unsigned = await fetch(url, { method: 'POST', body: form({ key: 'k' }, { name: 'f', body: 'x' }) })
    expect(unsigned.status).toBe(403)

    const limited = { key: 'user/big', ...signedFields([['content-length-range', 0, 10]]) }
    const big = await fetch(url, { method: 'POST', body: form(limited, { name: 'f', body: 'x'.repeat(100) }) })
    expect(big.status).toBe(400)
    expect(await errorCode(big)).toBe('EntityTooLarge')
    expect(() => server.store.headObject(Bucket, 'user/big')).toThrow()
  })
})
