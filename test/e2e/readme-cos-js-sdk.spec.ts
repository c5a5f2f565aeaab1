import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// Runs README.md's cos-js-sdk-v5 snippet in a real Chromium page against the headless server
// (cross-origin, so this also proves the emulator's CORS answers).
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
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
  await page.goto('about:blank')
  await page.addScriptTag({
    path: join(import.meta.dirname, '..', '..', 'node_modules/cos-js-sdk-v5/dist/cos-js-sdk-v5.min.js')
  })
  await page.evaluate(`(async () => { ${snippet(port)} })()`)
  const stored = await fetch(`${server.cosEndpoint}/examplebucket-1250000000/hello.txt`)
  expect(await stored.text()).toBe('hello')
})
