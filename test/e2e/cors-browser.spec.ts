import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// CORS and the Host check in a real Chromium, in open mode: a page on a loopback origin (a
// local dev server) uploads with cos-js-sdk-v5; a page on another site — evil.test, which
// Chromium's host-resolver rules point at 127.0.0.1 as a DNS-rebinding attacker would —
// can neither read nor write the local buckets.
test.use({
  launchOptions: {
    executablePath: process.env.COS_LOCAL_CHROMIUM || undefined,
    args: ['--host-resolver-rules=MAP evil.test 127.0.0.1', '--disable-background-networking', '--no-first-run']
  }
})

const SDK = join(import.meta.dirname, '..', '..', 'node_modules', 'cos-js-sdk-v5', 'dist', 'cos-js-sdk-v5.min.js')
const BUCKET = 'corsbucket-1250000000'
let server: HeadlessServer
let pageServer: Server
let pagePort: number

test.beforeAll(async () => {
  server = await startHeadless()
  pageServer = createServer((req, res) => {
    if (req.url === '/sdk.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      res.end(readFileSync(SDK))
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><title>page</title><script src="/sdk.js"></script>')
  })
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve))
  pagePort = (pageServer.address() as AddressInfo).port
  expect((await fetch(`${server.cosEndpoint}/${BUCKET}`, { method: 'PUT' })).status).toBe(200)
  const seeded = await fetch(`${server.cosEndpoint}/${BUCKET}/secret.txt`, { method: 'PUT', body: 'top secret' })
  expect(seeded.status).toBe(200)
})

test.afterAll(async () => {
  await server?.stop()
  pageServer?.close()
})

const sdkUpload = (cosPort: string, key: string, body: string): string => `(async () => {
  const cos = new COS({ SecretId: 'AKIDcoslocal', SecretKey: 'coslocal-secret', Protocol: 'http:', Domain: '127.0.0.1:${cosPort}/{Bucket}' })
  try {
    const put = await cos.putObject({ Bucket: '${BUCKET}', Region: 'ap-guangzhou', Key: '${key}', Body: '${body}' })
    return 'ok ' + put.statusCode + ' ' + (put.ETag || '')
  } catch (error) {
    return 'failed ' + JSON.stringify(error && (error.message || error.error || error))
  }
})()`

test('a page on a loopback origin uploads and reads with cos-js-sdk-v5', async ({ page }) => {
  const cosPort = new URL(server.cosEndpoint).port
  await page.goto(`http://localhost:${pagePort}/`)
  const result = await page.evaluate(sdkUpload(cosPort, 'from-dev-server.txt', 'hello'))
  expect(result).toMatch(/^ok 200 "[0-9a-f]{32}"$/) // the ETag is exposed to the page
  const read = await page.evaluate(
    `fetch('http://127.0.0.1:${cosPort}/${BUCKET}/from-dev-server.txt').then(r => r.text())`
  )
  expect(read).toBe('hello')
  const stored = await fetch(`${server.cosEndpoint}/${BUCKET}/from-dev-server.txt`)
  expect(await stored.text()).toBe('hello')
})

test('a page on another origin can neither read nor write', async ({ page }) => {
  const cosPort = new URL(server.cosEndpoint).port
  await page.goto(`http://evil.test:${pagePort}/`)
  expect(await page.evaluate('location.hostname')).toBe('evil.test')

  // SDK upload: the PUT preflight is refused.
  expect(await page.evaluate(sdkUpload(cosPort, 'from-evil.txt', 'evil'))).toMatch(/^failed/)
  // Reads: no CORS headers, so the browser hides the body; listing likewise.
  const reads = await page.evaluate(`(async () => {
    const out = []
    for (const url of ['http://127.0.0.1:${cosPort}/${BUCKET}/secret.txt', 'http://127.0.0.1:${cosPort}/${BUCKET}', 'http://127.0.0.1:${cosPort}/'])
      out.push(await fetch(url).then(r => r.text()).catch(e => 'blocked: ' + e.message))
    return out
  })()`)
  expect(reads).toEqual([
    expect.stringMatching(/^blocked/),
    expect.stringMatching(/^blocked/),
    expect.stringMatching(/^blocked/)
  ])
  // Simple requests that need no preflight (a form POST, a text/plain POST ?delete), sent blind.
  await page.evaluate(`(async () => {
    const form = new FormData()
    form.append('key', 'posted-by-evil.txt')
    form.append('file', new Blob(['evil']), 'a.txt')
    await fetch('http://127.0.0.1:${cosPort}/${BUCKET}', { method: 'POST', body: form, mode: 'no-cors' }).catch(() => {})
    const del = '<Delete><Object><Key>secret.txt</Key></Object></Delete>'
    await fetch('http://127.0.0.1:${cosPort}/${BUCKET}?delete', { method: 'POST', body: del, mode: 'no-cors' }).catch(() => {})
  })()`)

  // DNS rebinding: the attacker's own name, now pointing at 127.0.0.1, on the COS port. A page
  // there would be same-origin with it; the Host check answers 403 instead of the object.
  const rebound = await page.goto(`http://evil.test:${cosPort}/${BUCKET}/secret.txt`)
  expect(rebound?.status()).toBe(403)
  expect(await page.content()).not.toContain('top secret')

  for (const key of ['from-evil.txt', 'posted-by-evil.txt'])
    expect((await fetch(`${server.cosEndpoint}/${BUCKET}/${key}`, { method: 'HEAD' })).status, key).toBe(404)
  expect(await (await fetch(`${server.cosEndpoint}/${BUCKET}/secret.txt`)).text()).toBe('top secret')
})
