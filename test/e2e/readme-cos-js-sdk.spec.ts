import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// Runs README.md's cos-js-sdk-v5 snippet in a real Chromium page against the headless server
// (cross-origin, so this also proves the emulator's CORS answers).
// The page comes from its own localhost origin, as a developer's dev server would serve it.
let server: HeadlessServer
let pageServer: Server
let pageUrl: string

const SDK = join(import.meta.dirname, '..', '..', 'node_modules', 'cos-js-sdk-v5', 'dist', 'cos-js-sdk-v5.min.js')

test.beforeAll(async () => {
  server = await startHeadless()
  pageServer = createServer((req, res) => {
    if (req.url === '/sdk.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      res.end(readFileSync(SDK))
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><title>app</title><script src="/sdk.js"></script>')
  })
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve))
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`
})

test.afterAll(async () => {
  await server?.stop()
  pageServer?.close()
})

function snippet(port: string): string {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
  const body = /<!-- snippet: cos-js-sdk-v5 -->\s*```\w*\n([\s\S]*?)```/.exec(readme)![1]!
  return body.replaceAll('9500', port)
}

test('the README cos-js-sdk-v5 snippet uploads from a browser page', async ({ page }) => {
  const port = new URL(server.cosEndpoint).port
  const created = await fetch(`${server.cosEndpoint}/examplebucket-1250000000`, { method: 'PUT' })
  expect(created.status).toBe(200)
  await page.goto(pageUrl)
  await page.evaluate(`(async () => { ${snippet(port)} })()`)
  const stored = await fetch(`${server.cosEndpoint}/examplebucket-1250000000/hello.txt`)
  expect(await stored.text()).toBe('hello')
})
