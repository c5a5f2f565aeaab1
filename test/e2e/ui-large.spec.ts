import { expect, test } from '@playwright/test'
import { createHash } from 'node:crypto'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// Scale in the object browser: a folder of 2100 keys is paged by marker and rendered as a
// virtual list; a 20 MiB file goes up as a multipart upload.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

async function putMany(bucketUrl: string, keys: string[]): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!
      const response = await fetch(`${bucketUrl}/${key}`, { method: 'PUT', body: key })
      expect(response.status).toBe(200)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
}

test('2100 keys: pages of 1000 by marker, only the visible rows in the DOM', async ({ page }) => {
  const bucketUrl = `${server.cosEndpoint}/many-1250000000`
  await fetch(bucketUrl, { method: 'PUT' })
  const keys = Array.from({ length: 2100 }, (_, i) => `file-${String(i).padStart(5, '0')}.txt`)
  await putMany(bucketUrl, keys)

  await page.goto(server.uiUrl)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /many-1250000000/ })
    .click()
  const status = page.getByRole('status').filter({ hasText: 'loaded' })
  await expect(status).toContainText('1000 items loaded')
  const rows = page.getByRole('table', { name: 'Objects' }).getByRole('row')
  expect(await rows.count()).toBeLessThan(80)

  await page.getByRole('button', { name: 'Load more' }).click()
  await expect(status).toContainText('2000 items loaded')
  await page.getByRole('button', { name: 'Load more' }).click()
  await expect(status).toContainText('2100 items loaded')
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0)
  expect(await rows.count()).toBeLessThan(80)

  // Scrolling to the end renders the last keys (and still only a window of rows).
  await page.getByRole('rowgroup', { name: 'Folders and files' }).evaluate((viewport) => {
    viewport.scrollTop = viewport.scrollHeight
  })
  await expect(page.getByRole('button', { name: 'file-02099.txt', exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: 'file-00000.txt', exact: true })).toHaveCount(0)
  expect(await rows.count()).toBeLessThan(80)
})

test('a 20 MiB file is uploaded in parts and stored intact', async ({ page }) => {
  const bucketUrl = `${server.cosEndpoint}/big-1250000000`
  await fetch(bucketUrl, { method: 'PUT' })
  const bytes = Buffer.alloc(20 * 1024 * 1024)
  for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32BE(i, i)
  await page.goto(server.uiUrl)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /big-1250000000/ })
    .click()
  await page
    .getByTestId('upload-files')
    .setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: bytes })
  await expect(page.getByTestId('transfer').filter({ hasText: 'big.bin' })).toContainText('done', { timeout: 30_000 })
  await expect(page.getByRole('button', { name: 'big.bin', exact: true })).toBeVisible()
  const stored = Buffer.from(await (await fetch(`${bucketUrl}/big.bin`)).arrayBuffer())
  expect(stored.length).toBe(bytes.length)
  expect(createHash('md5').update(stored).digest('hex')).toBe(createHash('md5').update(bytes).digest('hex'))
  // A multipart ETag has the "-<parts>" suffix.
  const head = await fetch(`${bucketUrl}/big.bin`, { method: 'HEAD' })
  expect(head.headers.get('etag')).toMatch(/-3"$/)
})
