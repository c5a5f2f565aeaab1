import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// The object browser against the real headless product: buckets, uploads (file input and a
// synthetic drag-and-drop), folders, download, delete, and COS errors shown as text.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

async function createBucket(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create bucket' }).click()
  await page.getByLabel('Bucket name').fill(name)
  await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
}

async function openUi(page: Page): Promise<void> {
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('cos-endpoint')).toHaveText(server.cosEndpoint)
}

test('creating a bucket adds it to the list (with the APPID) and opens it', async ({ page }) => {
  await openUi(page)
  await createBucket(page, 'created')
  const nav = page.getByRole('navigation', { name: 'Buckets' })
  await expect(nav.getByRole('button', { name: /created-1250000000/ })).toHaveAttribute('aria-current', 'true')
  await expect(page.getByRole('navigation', { name: 'Path' })).toContainText('created-1250000000')
  const listing = await (await fetch(`${server.cosEndpoint}/`)).text()
  expect(listing).toContain('<Name>created-1250000000</Name>')
})

test('a bad bucket name shows the COS error code and message', async ({ page }) => {
  await openUi(page)
  await page.getByRole('button', { name: 'Create bucket' }).click()
  await page.getByLabel('Bucket name').fill('Bad_Name')
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog.getByRole('alert')).toContainText('InvalidBucketName')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
})

test('upload with the file input: the object appears with its size and the bytes are stored', async ({ page }) => {
  await openUi(page)
  await createBucket(page, 'inputs')
  await page.getByTestId('upload-files').setInputFiles([
    { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from the file input') },
    { name: '<img src=x onerror=alert(1)>.txt', mimeType: 'text/plain', buffer: Buffer.from('x') }
  ])
  const table = page.getByRole('table', { name: 'Objects' })
  await expect(table.getByRole('row').filter({ hasText: 'hello.txt' })).toContainText('25 B')
  // Keys are text: the markup-looking name is shown literally, never parsed as HTML.
  await expect(table.getByRole('button', { name: '<img src=x onerror=alert(1)>.txt', exact: true })).toBeVisible()
  await expect(table.locator('img')).toHaveCount(0)
  await expect(page.getByTestId('transfer').filter({ hasText: 'hello.txt' })).toContainText('done')
  const stored = await fetch(`${server.cosEndpoint}/inputs-1250000000/hello.txt`)
  expect(await stored.text()).toBe('hello from the file input')
})

test('upload by drag-and-drop into the current folder, after navigating into it', async ({ page }) => {
  await openUi(page)
  await createBucket(page, 'drops')
  await page.getByRole('button', { name: 'New folder' }).click()
  await page.getByLabel('Folder name').fill('photos')
  await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click()
  const table = page.getByRole('table', { name: 'Objects' })
  await table.getByRole('button', { name: 'photos/' }).click()
  const path = page.getByRole('navigation', { name: 'Path' })
  await expect(path.getByRole('button', { name: 'photos' })).toHaveAttribute('aria-current', 'page')

  // A synthetic drop, as the browser dispatches it (a string script: test code has no DOM types).
  await page.evaluate(`(() => {
    const zone = document.querySelector('[data-testid="drop-zone"]')
    const data = new DataTransfer()
    data.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }))
    for (const type of ['dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }))
    }
  })()`)
  await expect(table.getByRole('button', { name: 'dropped.txt', exact: true })).toBeVisible()
  const stored = await fetch(`${server.cosEndpoint}/drops-1250000000/photos/dropped.txt`)
  expect(stored.status).toBe(200)
  expect(await stored.text()).toBe('dropped bytes')

  await path.getByRole('button', { name: 'drops-1250000000' }).click()
  await expect(table.getByRole('button', { name: 'photos/' })).toBeVisible()
  await expect(table.getByRole('button', { name: 'dropped.txt', exact: true })).toHaveCount(0)
})

test('download gives the object bytes', async ({ page }) => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251))
  await fetch(`${server.cosEndpoint}/downloads-1250000000`, { method: 'PUT' })
  await fetch(`${server.cosEndpoint}/downloads-1250000000/data.bin`, { method: 'PUT', body: bytes })
  await openUi(page)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /downloads-1250000000/ })
    .click()
  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download data.bin' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('data.bin')
  expect(readFileSync(await download.path())).toEqual(bytes)
})

test('delete asks for confirmation, then removes the selected objects and folders', async ({ page }) => {
  const bucket = `${server.cosEndpoint}/deletes-1250000000`
  await fetch(bucket, { method: 'PUT' })
  for (const key of ['keep.txt', 'gone.txt', 'dir/a.txt', 'dir/b/c.txt']) {
    await fetch(`${bucket}/${key}`, { method: 'PUT', body: key })
  }
  await openUi(page)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /deletes-1250000000/ })
    .click()
  const table = page.getByRole('table', { name: 'Objects' })
  await table.getByRole('checkbox', { name: 'Select gone.txt' }).check()
  await table.getByRole('checkbox', { name: 'Select dir/' }).check()
  await page.getByRole('button', { name: 'Delete (2)' }).click()

  const dialog = page.getByRole('dialog', { name: 'Delete objects' })
  await expect(dialog).toContainText('1 file and 1 folder')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  expect((await fetch(`${bucket}/gone.txt`, { method: 'HEAD' })).status).toBe(200)

  await page.getByRole('button', { name: 'Delete (2)' }).click()
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(table.getByRole('button', { name: 'gone.txt', exact: true })).toHaveCount(0)
  await expect(table.getByRole('button', { name: 'dir/' })).toHaveCount(0)
  await expect(table.getByRole('button', { name: 'keep.txt', exact: true })).toBeVisible()
  for (const key of ['gone.txt', 'dir/a.txt', 'dir/b/c.txt']) {
    expect((await fetch(`${bucket}/${key}`, { method: 'HEAD' })).status).toBe(404)
  }
  expect((await fetch(`${bucket}/keep.txt`, { method: 'HEAD' })).status).toBe(200)
})

test('object details list the response headers', async ({ page }) => {
  const bucket = `${server.cosEndpoint}/details-1250000000`
  await fetch(bucket, { method: 'PUT' })
  await fetch(`${bucket}/note.txt`, { method: 'PUT', body: 'note', headers: { 'content-type': 'text/plain' } })
  await openUi(page)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /details-1250000000/ })
    .click()
  await page.getByRole('button', { name: 'note.txt', exact: true }).click()
  // Details open in a panel beside the list (not a dialog), with the object in the URL.
  const panel = page.getByRole('complementary', { name: 'Object details' })
  await expect(panel.getByTestId('preview')).toContainText('note')
  await panel.getByRole('tab', { name: 'Details' }).click()
  await expect(panel.getByTestId('details-key')).toHaveText('note.txt')
  expect(new URL(page.url()).hash).toContain('object=note.txt')
  const headers = panel.getByRole('table', { name: 'Response headers' })
  await expect(headers.getByRole('row').filter({ hasText: 'content-length' })).toContainText('4')
  await expect(headers.getByRole('row').filter({ hasText: 'x-cos-request-id' })).toBeVisible()
})

test('an ARCHIVE object refuses download with a readable reason and can be restored', async ({ page }) => {
  const bucket = `${server.cosEndpoint}/archives-1250000000`
  await fetch(bucket, { method: 'PUT' })
  const put = await fetch(`${bucket}/cold.txt`, {
    method: 'PUT',
    body: 'cold',
    headers: { 'x-cos-storage-class': 'ARCHIVE' }
  })
  expect(put.status).toBe(200)
  await openUi(page)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /archives-1250000000/ })
    .click()
  const row = page.getByRole('table', { name: 'Objects' }).getByRole('row').filter({ hasText: 'cold.txt' })
  await expect(row).toContainText('ARCHIVE')

  await row.getByRole('button', { name: 'Download cold.txt' }).click()
  const banner = page.getByRole('alert').filter({ hasText: 'Cannot download' })
  await expect(banner).toContainText('InvalidObjectState')
  await expect(banner).toContainText('restore it first')
  expect(await banner.textContent()).not.toContain('..')

  await row.getByRole('button', { name: 'Restore cold.txt' }).click()
  const dialog = page.getByRole('dialog', { name: 'Restore archived object' })
  await dialog.getByLabel('Tier').selectOption('Expedited')
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(dialog.getByRole('status')).toContainText('Restore requested')
  await dialog.getByRole('button', { name: 'Close' }).click()
  // The old banner is gone and the row says the restore is running; no second restore is offered.
  await expect(banner).toHaveCount(0)
  await expect(row).toContainText('restoring')
  await expect(row.getByRole('button', { name: 'Restore cold.txt' })).toHaveCount(0)
  await row.getByRole('button', { name: 'Download cold.txt' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Cannot download' })).toContainText('being restored')
})

test('upload a folder with the folder picker: keys keep the relative paths', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cos-local-ui-folder-'))
  mkdirSync(join(dir, 'album', 'raw'), { recursive: true })
  writeFileSync(join(dir, 'album', 'one.txt'), 'one')
  writeFileSync(join(dir, 'album', 'raw', 'two.txt'), 'two')
  try {
    await openUi(page)
    await createBucket(page, 'folders')
    await page.getByTestId('upload-folder').setInputFiles(join(dir, 'album'))
    const table = page.getByRole('table', { name: 'Objects' })
    await table.getByRole('button', { name: 'album/' }).click()
    await expect(table.getByRole('button', { name: 'one.txt', exact: true })).toBeVisible()
    await table.getByRole('button', { name: 'raw/' }).click()
    await expect(table.getByRole('button', { name: 'two.txt', exact: true })).toBeVisible()
    const stored = await fetch(`${server.cosEndpoint}/folders-1250000000/album/raw/two.txt`)
    expect(await stored.text()).toBe('two')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a failed upload stays in the transfers panel with the COS error', async ({ page }) => {
  await fetch(`${server.cosEndpoint}/vanishing-1250000000`, { method: 'PUT' })
  await openUi(page)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /vanishing-1250000000/ })
    .click()
  expect((await fetch(`${server.cosEndpoint}/vanishing-1250000000`, { method: 'DELETE' })).status).toBe(204)
  await page
    .getByTestId('upload-files')
    .setInputFiles({ name: 'late.txt', mimeType: 'text/plain', buffer: Buffer.from('x') })
  const transfer = page.getByTestId('transfer').filter({ hasText: 'late.txt' })
  await expect(transfer).toContainText('failed')
  await expect(transfer.getByRole('alert')).toContainText('NoSuchBucket')
})

test('the SDK config dialog has ready-to-paste configurations for this endpoint', async ({ page }) => {
  await openUi(page)
  await page.getByRole('button', { name: 'SDK config' }).click()
  const dialog = page.getByRole('dialog', { name: 'SDK configuration' })
  const hostPort = server.cosEndpoint.replace('http://', '')
  await expect(dialog.getByTestId('sdk-cos-nodejs-sdk-v5')).toContainText(`Ip: '${hostPort}'`)
  await expect(dialog.getByTestId('sdk-aws-sdk-v3')).toContainText('forcePathStyle: true')
  await expect(dialog.getByTestId('sdk-rclone')).toContainText(`endpoint = ${server.cosEndpoint}`)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
})

test('a change made by another client shows up without a refresh (push invalidation)', async ({ page }) => {
  const bucket = `${server.cosEndpoint}/live-1250000000`
  await fetch(bucket, { method: 'PUT' })
  await openUi(page)
  await expect(page.getByText('live: open')).toBeVisible()
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /live-1250000000/ })
    .click()
  const table = page.getByRole('table', { name: 'Objects' })
  await expect(page.getByRole('status').filter({ hasText: 'loaded' })).toContainText('0 items loaded')
  await fetch(`${bucket}/from-elsewhere.txt`, { method: 'PUT', body: 'sdk upload' })
  await expect(table.getByRole('button', { name: 'from-elsewhere.txt', exact: true })).toBeVisible()
  await fetch(`${bucket}/from-elsewhere.txt`, { method: 'DELETE' })
  await expect(table.getByRole('button', { name: 'from-elsewhere.txt', exact: true })).toHaveCount(0)
})
