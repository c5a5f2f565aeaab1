import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// The connection switcher: the embedded instance stays the default; a saved connection to a
// second COS Local in signed mode (another port) is browsed through the same SDK adapter, with
// signatures from the app API (the page never holds the SecretKey).
let local: HeadlessServer
let remote: HeadlessServer
const SECRET = 'team-secret-key-0123'

test.beforeAll(async () => {
  ;[local, remote] = await Promise.all([
    startHeadless(),
    startHeadless(['--secret-id', 'AKIDteam00001', '--secret-key', SECRET])
  ])
})

test.afterAll(async () => {
  await Promise.all([local?.stop(), remote?.stop()])
})

test('save a connection to another COS Local, browse, upload and delete there; events stay local', async ({ page }) => {
  await page.goto(local.uiUrl)
  await expect(page.getByTestId('connection-switcher')).toHaveValue('local')
  await page.getByRole('button', { name: 'Connections…' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Custom endpoint').check()
  await dialog.getByRole('textbox', { name: 'Name' }).fill('team')
  await dialog.getByRole('textbox', { name: 'Endpoint' }).fill(remote.cosEndpoint)
  await dialog.getByRole('textbox', { name: 'SecretId' }).fill('AKIDteam00001')

  // a wrong key: the COS code from the remote, nothing kept
  await dialog.getByRole('textbox', { name: 'SecretKey' }).fill('wrong')
  await dialog.getByRole('button', { name: 'Save and connect' }).click()
  await expect(dialog.getByRole('alert')).toContainText('SignatureDoesNotMatch')
  await expect(dialog.getByTestId('saved-connections')).toHaveCount(0)

  await dialog.getByRole('textbox', { name: 'SecretKey' }).fill(SECRET)
  await dialog.getByRole('button', { name: 'Save and connect' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(page.getByTestId('local-only-note')).toContainText('belong to this COS Local')
  // an empty remote: the plain empty state (its buckets fire no local triggers: no quick start)
  await expect(page.getByRole('heading', { name: 'No buckets yet' })).toBeVisible()
  await expect(page.getByTestId('quick-start')).toHaveCount(0)

  await page.getByRole('button', { name: 'Create bucket' }).click()
  await page.getByLabel('Bucket name').fill('remote')
  await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await page
    .getByTestId('upload-files')
    .setInputFiles([{ name: 'over-there.txt', mimeType: 'text/plain', buffer: Buffer.from('remote bytes') }])
  const table = page.getByRole('table', { name: 'Objects' })
  await expect(table.getByRole('button', { name: 'over-there.txt', exact: true })).toBeVisible()
  await page.screenshot({ path: 'test-results/connections-remote-1440.png' })

  // download through a URL the app API signed
  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download over-there.txt' }).click()
  const download = await downloading
  expect(readFileSync(await download.path(), 'utf8')).toBe('remote bytes')

  // the object is on the remote (signed), not on the local instance
  const unsigned = await fetch(`${remote.cosEndpoint}/remote-1250000000/over-there.txt`)
  expect(unsigned.status).toBe(403)
  const localList = await (await fetch(`${local.cosEndpoint}/`)).text()
  expect(localList).not.toContain('remote-1250000000')

  // the page never received the secret
  const ui = new URL(local.uiUrl)
  const listed = await (
    await fetch(`${ui.origin}/api/connections`, {
      headers: { authorization: `Bearer ${ui.searchParams.get('token')}` }
    })
  ).text()
  expect(listed).not.toContain(SECRET)

  await table.getByRole('checkbox', { name: 'Select all loaded' }).check()
  await page.getByRole('button', { name: 'Delete (1)' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(table.getByRole('button', { name: 'over-there.txt', exact: true })).toHaveCount(0)

  // back to the embedded instance
  await page.getByTestId('connection-switcher').selectOption('local')
  await expect(page.getByTestId('local-only-note')).toHaveCount(0)
  await expect(page).not.toHaveURL(/#\/remote-1250000000/) // the remote's bucket is not opened locally
  await page.waitForTimeout(500)
  await expect(page.getByRole('alert')).toHaveCount(0)
})
