/** Shared steps of the object-browser tests: open the UI, create buckets and objects over HTTP. */
import { expect, type Page } from '@playwright/test'
import { Resvg } from '@resvg/resvg-js'
import type { HeadlessServer } from './headless-server.ts'

export async function openUi(page: Page, server: HeadlessServer, hash = ''): Promise<void> {
  await page.goto(server.uiUrl + hash)
  await expect(page.getByTestId('cos-endpoint')).toHaveText(server.cosEndpoint)
}

export async function openBucket(page: Page, bucket: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: new RegExp(bucket) })
    .click()
  await expect(page.getByRole('navigation', { name: 'Path' })).toContainText(bucket)
}

/** PUT Bucket plus objects (key → body), 16 at a time. */
export async function seed(
  server: HeadlessServer,
  bucket: string,
  objects: Record<string, string | Buffer> = {}
): Promise<string> {
  const url = `${server.cosEndpoint}/${bucket}`
  const created = await fetch(url, { method: 'PUT' })
  expect([200, 409]).toContain(created.status)
  const entries = Object.entries(objects)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const [key, body] = entries[next++]!
      const response = await fetch(`${url}/${key}`, { method: 'PUT', body })
      expect(response.status).toBe(200)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  return url
}

export function table(page: Page) {
  return page.getByRole('table', { name: 'Objects' })
}

/** Calls the app API as the UI does (Bearer token from the UI URL); expects 200 and returns the JSON. */
export async function appApi<T = unknown>(
  server: HeadlessServer,
  method: string,
  path: string,
  body?: unknown
): Promise<T> {
  const url = new URL(server.uiUrl)
  const response = await fetch(new URL(path, url.origin), {
    method,
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const payload = (await response.json()) as T
  expect(response.status, JSON.stringify(payload)).toBe(200)
  return payload
}

/** A small PNG: one colour with a lighter disc, drawn by resvg. */
export function swatch(color: string, size = 64): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="${color}"/><circle cx="50%" cy="50%" r="30%" fill="white" fill-opacity="0.6"/></svg>`
  return Buffer.from(new Resvg(svg).render().asPng())
}

/** A Node.js function from the print-event template and one COS trigger for it (cos:ObjectCreated:* unless said). */
export async function printEventFunction(
  server: HeadlessServer,
  name: string,
  trigger: { bucket: string; event?: string; prefix?: string; suffix?: string }
): Promise<void> {
  await appApi(server, 'POST', '/api/functions', {
    name,
    runtime: 'nodejs',
    code: { type: 'template', template: 'nodejs-print-event' }
  })
  await appApi(server, 'POST', '/api/triggers', { functionName: name, event: 'cos:ObjectCreated:*', ...trigger })
}
