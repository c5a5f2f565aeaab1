import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// With --secret-id/--secret-key the emulator verifies signatures: the UI signs every COS
// request (q-sign, Web Crypto) and pre-signs download links.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless(['--secret-id', 'AKIDsignedui', '--secret-key', 'signed-ui-secret'])
})

test.afterAll(async () => {
  await server?.stop()
})

test('signed mode: create, upload (simple and multipart), list, download and delete all pass verification', async ({
  page
}) => {
  const unsigned = await fetch(`${server.cosEndpoint}/`)
  expect(unsigned.status).toBe(403)

  await page.goto(server.uiUrl)
  await expect(page.getByText('signatures verified')).toBeVisible()
  await page.getByRole('button', { name: 'Create bucket' }).click()
  await page.getByLabel('Bucket name').fill('signed')
  await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)

  const big = Buffer.alloc(17 * 1024 * 1024, 7)
  await page.getByTestId('upload-files').setInputFiles([
    { name: 'small (1).txt', mimeType: 'text/plain', buffer: Buffer.from('signed bytes') },
    { name: 'big.bin', mimeType: 'application/octet-stream', buffer: big }
  ])
  const table = page.getByRole('table', { name: 'Objects' })
  await expect(table.getByRole('button', { name: 'small (1).txt', exact: true })).toBeVisible()
  await expect(page.getByTestId('transfer').filter({ hasText: 'big.bin' })).toContainText('done', { timeout: 30_000 })
  await expect(table.getByRole('button', { name: 'big.bin', exact: true })).toBeVisible()

  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download small (1).txt' }).click()
  const download = await downloading
  expect(readFileSync(await download.path(), 'utf8')).toBe('signed bytes')

  await table.getByRole('checkbox', { name: 'Select all loaded' }).check()
  await page.getByRole('button', { name: 'Delete (2)' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(table.getByRole('button', { name: 'big.bin', exact: true })).toHaveCount(0)
  await expect(page.getByRole('alert')).toHaveCount(0)
})
