import { expect, test, type CDPSession, type Page } from '@playwright/test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { openBucket, openUi, seed, table } from './ui-helpers.ts'

// Uploads through cos-js-sdk-v5's task list: a reload in the middle of a slice upload resumes
// from the parts already stored; a failed upload is counted in the badge and can be retried;
// pause and resume; upload options (storage class, metadata) reach COS.
let server: HeadlessServer
let dir: string

test.beforeAll(async () => {
  server = await startHeadless()
  dir = mkdtempSync(join(tmpdir(), 'cos-local-transfers-'))
})

test.afterAll(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function multipartUploads(bucketUrl: string): Promise<{ key: string; uploadId: string }[]> {
  const xml = await (await fetch(`${bucketUrl}?uploads`)).text()
  return [...xml.matchAll(/<Upload>[\s\S]*?<Key>([^<]*)<\/Key>[\s\S]*?<UploadId>([^<]*)<\/UploadId>/g)].map((m) => ({
    key: m[1]!,
    uploadId: m[2]!
  }))
}

async function partCount(bucketUrl: string, key: string, uploadId: string): Promise<number> {
  const xml = await (await fetch(`${bucketUrl}/${key}?uploadId=${encodeURIComponent(uploadId)}`)).text()
  return xml.match(/<Part>/g)?.length ?? 0
}

/** A file of `mib` MiB whose every 4 KiB starts with its offset (XOR `mask`), so misplaced bytes show. */
function patternedFile(name: string, mib: number, mask = 0): { path: string; bytes: Buffer } {
  const path = join(dir, name)
  const bytes = Buffer.alloc(mib * 1024 * 1024)
  for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32BE((i ^ mask) >>> 0, i)
  writeFileSync(path, bytes)
  return { path, bytes }
}

/** Caps the page's upload rate, so a slice upload of 8 MiB parts takes seconds. */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond
  })
  return cdp
}

/** Waits until the bucket's multipart upload has stored `parts` parts; returns that upload. */
async function uploadWithParts(bucketUrl: string, parts: number): Promise<{ key: string; uploadId: string }> {
  let upload: { key: string; uploadId: string } | undefined
  await expect
    .poll(
      async () => {
        upload = (await multipartUploads(bucketUrl))[0]
        return upload ? partCount(bucketUrl, upload.key, upload.uploadId) : 0
      },
      { timeout: 30_000 }
    )
    .toBeGreaterThanOrEqual(parts)
  return upload!
}

/** The same multipart upload was completed (none left behind) from `parts` parts, and the bytes are whole. */
async function expectWholeObject(bucketUrl: string, key: string, bytes: Buffer, parts: number): Promise<void> {
  expect(await multipartUploads(bucketUrl)).toEqual([])
  const head = await fetch(`${bucketUrl}/${key}`, { method: 'HEAD' })
  expect(head.headers.get('content-length')).toBe(String(bytes.length))
  expect(head.headers.get('etag')).toMatch(new RegExp(`-${parts}"$`))
  const body = Buffer.from(await (await fetch(`${bucketUrl}/${key}`)).arrayBuffer())
  expect(body.equals(bytes)).toBe(true)
}

test('a reload in the middle of a slice upload resumes from the stored parts when the file is chosen again', async ({
  page
}) => {
  const bucketUrl = await seed(server, 'resume-1250000000')
  const { path, bytes } = patternedFile('big.bin', 48)

  await openUi(page, server)
  await openBucket(page, 'resume-1250000000')
  // Slow the upload down (8 MiB parts at 16 MB/s) so the reload lands in the middle of it.
  const cdp = await throttleUploads(page, 16 * 1024 * 1024)
  await page.getByTestId('upload-files').setInputFiles(path)
  const upload = await uploadWithParts(bucketUrl, 2)
  await page.reload()
  await cdp.detach().catch(() => undefined)

  const transfer = page.getByTestId('transfer').filter({ hasText: 'big.bin' })
  await expect(transfer).toContainText('interrupted')
  const stored = await partCount(bucketUrl, upload.key, upload.uploadId)
  expect(stored).toBeGreaterThanOrEqual(2)
  await transfer.getByLabel('Choose big.bin to resume').setInputFiles(path)
  await expect(transfer).toContainText('done', { timeout: 60_000 })

  // The same multipart upload was completed (no second one left behind) and the bytes are whole.
  await expectWholeObject(bucketUrl, 'big.bin', bytes, 6)
})

test('a failed upload counts in the badge and Retry sends it again; options set class and metadata', async ({
  page
}) => {
  const bucketUrl = await seed(server, 'retries-1250000000')
  await openUi(page, server)
  await openBucket(page, 'retries-1250000000')
  expect((await fetch(bucketUrl, { method: 'DELETE' })).status).toBe(204)

  await page.getByRole('button', { name: /Upload options/ }).click()
  const options = page.getByRole('dialog', { name: 'Upload options' })
  await options.getByLabel('Storage class').selectOption('STANDARD_IA')
  await options.getByRole('button', { name: 'Add metadata' }).click()
  await options.getByLabel('Metadata name').fill('owner')
  await options.getByLabel('Metadata value').fill('qa')
  await options.getByRole('button', { name: 'Apply' }).click()

  await page
    .getByTestId('upload-files')
    .setInputFiles({ name: 'again.txt', mimeType: 'text/plain', buffer: Buffer.from('retry me') })
  const transfer = page.getByTestId('transfer').filter({ hasText: 'again.txt' })
  await expect(transfer).toContainText('failed', { timeout: 20_000 })
  await expect(transfer.getByRole('alert')).toContainText('NoSuchBucket')
  await expect(page.getByRole('tab', { name: /Transfers/ })).toHaveText('Transfers (1)')

  await fetch(bucketUrl, { method: 'PUT' })
  await transfer.getByRole('button', { name: 'Retry again.txt' }).click()
  await expect(transfer).toContainText('done')
  await expect(page.getByRole('tab', { name: /Transfers/ })).toHaveText('Transfers (0)')
  const head = await fetch(`${bucketUrl}/again.txt`, { method: 'HEAD' })
  expect(head.headers.get('x-cos-storage-class')).toBe('STANDARD_IA')
  expect(head.headers.get('x-cos-meta-owner')).toBe('qa')
  await expect(table(page).getByRole('row').filter({ hasText: 'again.txt' })).toContainText('STANDARD_IA')
})

test('pause stops a slice upload (no more parts arrive), resume finishes the same upload with the right bytes', async ({
  page
}) => {
  const bucketUrl = await seed(server, 'pausing-1250000000')
  const { path, bytes } = patternedFile('paused.bin', 40, 0x5a5a5a5a)

  await openUi(page, server)
  await openBucket(page, 'pausing-1250000000')
  // 8 MiB parts at 12 MB/s: the upload takes seconds, so the pause lands in the middle of it.
  const cdp = await throttleUploads(page, 12 * 1024 * 1024)
  await page.getByTestId('upload-files').setInputFiles(path)
  const transfer = page.getByTestId('transfer').filter({ hasText: 'paused.bin' })
  const upload = await uploadWithParts(bucketUrl, 1)
  await transfer.getByRole('button', { name: 'Pause paused.bin' }).click()
  await expect(transfer).toContainText('paused')

  // Parts in flight were aborted: the count settles and stays put while paused.
  await page.waitForTimeout(1500)
  const atPause = await partCount(bucketUrl, upload.key, upload.uploadId)
  await page.waitForTimeout(3000)
  expect(await partCount(bucketUrl, upload.key, upload.uploadId)).toBe(atPause)
  expect(atPause).toBeLessThan(5)
  await expect(transfer).toContainText('paused')
  expect((await fetch(`${bucketUrl}/paused.bin`, { method: 'HEAD' })).status).toBe(404)

  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1
  })
  await cdp.detach()
  await transfer.getByRole('button', { name: 'Resume paused.bin' }).click()
  await expect(transfer).toContainText('done', { timeout: 60_000 })

  // The stored parts were kept (same upload completed, nothing left over) and the bytes are whole.
  await expectWholeObject(bucketUrl, 'paused.bin', bytes, 5)
})
