/**
 * The COS API's local attack surface: the Host check (DNS rebinding) and CORS as COS does it
 * (bucket rules, the loopback default, --cors-origin, the UI's origin), against a real app.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'

let app: App
let dataDir: string
let port: number
const BUCKET = 'sec-1250000000'

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function request(method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const preflight = (path: string, origin: string, method = 'PUT', asked = 'authorization,content-type') =>
  request('OPTIONS', path, {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': asked
  })

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-security-'))
  app = await createApp({
    dataDir,
    port: 0,
    uiPort: 0,
    allowHosts: ['laptop.test'],
    corsOrigins: ['https://*.extra.test']
  })
  port = app.cosPort
  expect((await request('PUT', `/${BUCKET}`)).status).toBe(200)
})

afterAll(async () => {
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('Host check', () => {
  it.each(['127.0.0.1', 'localhost:1234', `${BUCKET}.cos.ap-guangzhou.myqcloud.com`, 'service.cos.myqcloud.com'])(
    'answers Host %s',
    async (host) => {
      const answer = await request('GET', '/', { host })
      expect(answer.status).toBe(200)
      expect(answer.body).toMatch(/ListAllMyBucketsResult|ListBucketResult/)
    }
  )

  it('answers a virtual-host request and a name allowed with --allow-host', async () => {
    expect((await request('HEAD', '/', { host: `${BUCKET}.cos.ap-guangzhou.myqcloud.com:${port}` })).status).toBe(200)
    expect((await request('HEAD', `/${BUCKET}`, { host: `laptop.test:${port}` })).status).toBe(200)
  })

  it('refuses a rebound name with COS error XML 403 naming the Host, and writes nothing', async () => {
    const answer = await request('PUT', `/${BUCKET}/rebound.txt`, { host: `evil.example:${port}` }, 'x')
    expect(answer.status).toBe(403)
    expect(answer.headers['content-type']).toBe('application/xml')
    expect(answer.body).toMatch(/<Code>AccessDenied<\/Code><Message>Host &quot;evil\.example:\d+&quot; is not allowed/)
    expect(answer.body).toContain('--allow-host evil.example')
    expect(answer.body).toMatch(/<RequestId>.+<\/RequestId><TraceId>.+<\/TraceId>/)
    expect(answer.headers['access-control-allow-origin']).toBeUndefined()
    expect((await request('HEAD', `/${BUCKET}/rebound.txt`)).status).toBe(404)
  })

  it('refuses a rebound name on preflights too', async () => {
    const answer = await request('OPTIONS', `/${BUCKET}/k`, {
      host: 'evil.example',
      origin: 'http://evil.example',
      'access-control-request-method': 'PUT'
    })
    expect(answer.status).toBe(403)
    expect(answer.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('CORS', () => {
  it('a new bucket allows loopback origins on any port (preflight and response)', async () => {
    const origin = 'http://localhost:5173'
    const answer = await preflight(`/${BUCKET}/a.txt`, origin)
    expect(answer.status).toBe(200)
    expect(answer.headers['access-control-allow-origin']).toBe(origin)
    expect(answer.headers['access-control-allow-methods']).toBe('GET, PUT, POST, DELETE, HEAD')
    expect(answer.headers['access-control-allow-headers']).toBe('authorization, content-type')
    expect(answer.headers['access-control-max-age']).toBe('600')
    const put = await request('PUT', `/${BUCKET}/a.txt`, { origin }, 'hello')
    expect(put.status).toBe(200)
    expect(put.headers['access-control-allow-origin']).toBe(origin)
    expect(put.headers['access-control-expose-headers']).toContain('ETag')
  })

  it('GET ?cors shows the default rule; --cors-origin origins are in it', async () => {
    const answer = await request('GET', `/${BUCKET}?cors`)
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('<AllowedOrigin>http://127.0.0.1:*</AllowedOrigin>')
    expect(answer.body).toContain('<AllowedOrigin>https://*.extra.test</AllowedOrigin>')
    expect((await preflight(`/${BUCKET}/a.txt`, 'https://app.extra.test')).status).toBe(200)
  })

  it('another origin gets a 403 preflight and no CORS headers on reads; its writes are refused', async () => {
    const origin = 'http://evil.example'
    const answer = await preflight(`/${BUCKET}/a.txt`, origin)
    expect(answer.status).toBe(403)
    expect(answer.body).toContain('<Code>AccessForbidden</Code>')
    expect(answer.headers['access-control-allow-origin']).toBeUndefined()
    const read = await request('GET', `/${BUCKET}/a.txt`, { origin })
    expect(read.status).toBe(200)
    expect(read.headers['access-control-allow-origin']).toBeUndefined()
    // A form POST is a "simple" request (no preflight): refused outright.
    const boundary = 'x1'
    const form =
      `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nposted.txt\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nevil\r\n--${boundary}--\r\n`
    const post = await request(
      'POST',
      `/${BUCKET}`,
      { origin, 'content-type': `multipart/form-data; boundary=${boundary}` },
      form
    )
    expect(post.status).toBe(403)
    expect((await request('HEAD', `/${BUCKET}/posted.txt`)).status).toBe(404)
    expect((await request('DELETE', `/${BUCKET}/a.txt`, { origin })).status).toBe(403)
    expect((await request('HEAD', `/${BUCKET}/a.txt`)).status).toBe(200)
  })

  it("the bucket's own rules decide: methods, headers, exposed headers, max age", async () => {
    const rules =
      '<CORSConfiguration><CORSRule><AllowedOrigin>https://*.app.test</AllowedOrigin>' +
      '<AllowedMethod>GET</AllowedMethod><AllowedHeader>range</AllowedHeader>' +
      '<ExposeHeader>x-cos-meta-a</ExposeHeader><MaxAgeSeconds>30</MaxAgeSeconds></CORSRule></CORSConfiguration>'
    expect((await request('PUT', `/${BUCKET}?cors`, {}, rules)).status).toBe(200)
    expect((await request('GET', `/${BUCKET}?cors`)).body).toBe(rules)
    const ok = await preflight(`/${BUCKET}/a.txt`, 'https://www.app.test', 'GET', 'range')
    expect(ok.status).toBe(200)
    expect(ok.headers['access-control-allow-methods']).toBe('GET')
    expect(ok.headers['access-control-expose-headers']).toBe('x-cos-meta-a')
    expect(ok.headers['access-control-max-age']).toBe('30')
    expect((await preflight(`/${BUCKET}/a.txt`, 'https://www.app.test', 'PUT', 'range')).status).toBe(403)
    expect((await preflight(`/${BUCKET}/a.txt`, 'https://www.app.test', 'GET', 'authorization')).status).toBe(403)
    // loopback origins are no longer in the bucket's rules
    expect((await preflight(`/${BUCKET}/a.txt`, 'http://localhost:5173', 'GET', 'range')).status).toBe(403)
  })

  it('PUT ?cors rejects a malformed configuration', async () => {
    const bad = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>'
    const answer = await request('PUT', `/${BUCKET}?cors`, {}, bad)
    expect(answer.status).toBe(400)
    expect(answer.body).toContain('<Code>MalformedXML</Code>')
  })

  it('DELETE ?cors leaves no rules; the UI origin still works for buckets and the service', async () => {
    expect((await request('DELETE', `/${BUCKET}?cors`)).status).toBe(204)
    expect((await request('GET', `/${BUCKET}?cors`)).status).toBe(404)
    expect((await preflight(`/${BUCKET}/a.txt`, 'http://localhost:5173')).status).toBe(403)
    const ui = new URL(app.appApiUrl).origin
    for (const path of [`/${BUCKET}/a.txt`, '/', '/new-bucket-1250000000']) {
      const answer = await preflight(path, ui)
      expect(answer.status, path).toBe(200)
      expect(answer.headers['access-control-allow-origin']).toBe(ui)
      expect(answer.headers['access-control-max-age']).toBe('7200')
    }
    const list = await request('GET', '/', { origin: ui })
    expect(list.headers['access-control-allow-origin']).toBe(ui)
  })

  it('GET Service and PUT Bucket preflights follow the default rule (no bucket rules exist yet)', async () => {
    expect((await preflight('/', 'http://127.0.0.1:3000', 'GET')).status).toBe(200)
    expect((await preflight('/brand-new-1250000000', 'http://127.0.0.1:3000', 'PUT')).status).toBe(200)
    expect((await preflight('/brand-new-1250000000', 'http://evil.example', 'PUT')).status).toBe(403)
    expect((await request('PUT', '/brand-new-1250000000', { origin: 'http://evil.example' })).status).toBe(403)
    expect((await request('HEAD', '/brand-new-1250000000')).status).toBe(404)
  })

  it('a preflight without Origin is a 400', async () => {
    const answer = await request('OPTIONS', `/${BUCKET}/a.txt`, { 'access-control-request-method': 'GET' })
    expect(answer.status).toBe(400)
  })
})
