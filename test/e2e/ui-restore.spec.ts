import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { formatDate } from '../../renderer/src/lib/format.ts'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { openUi, seed, table } from './ui-helpers.ts'

// An archive restore seen through the UI on a fast emulated clock: the row says "restoring"
// while the job runs, then "restored until <expiry>" once COS completes it (the completion is an
// object event, which refreshes the list), and the download works.
let server: HeadlessServer

test.beforeAll(async () => {
  // A Standard restore from ARCHIVE takes 3 emulated hours: 9 s at 1200×.
  server = await startHeadless(['--clock-speed', '1200'])
})

test.afterAll(async () => {
  await server?.stop()
})

test('restore from ARCHIVE: "restoring", then "restored until …", then the download works', async ({ page }) => {
  const bucket = await seed(server, 'cold-1250000000')
  const put = await fetch(`${bucket}/ledger.csv`, {
    method: 'PUT',
    body: 'year,total\n2026,42\n',
    headers: { 'x-cos-storage-class': 'ARCHIVE' }
  })
  expect(put.status).toBe(200)

  await openUi(page, server, '#/cold-1250000000/')
  const row = table(page).getByRole('row').filter({ hasText: 'ledger.csv' })
  await expect(row).toContainText('ARCHIVE')
  await row.getByRole('button', { name: 'Restore ledger.csv' }).click()
  const dialog = page.getByRole('dialog', { name: 'Restore archived object' })
  await dialog.getByLabel('Tier').selectOption('Standard')
  await dialog.getByLabel('Days the restored copy stays').fill('3')
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(dialog.getByRole('status')).toContainText('Restore requested')
  await dialog.getByRole('button', { name: 'Close' }).click()

  await expect(row).toContainText('restoring')
  const running = await fetch(`${bucket}/ledger.csv`, { method: 'HEAD' })
  expect(running.headers.get('x-cos-restore')).toBe('ongoing-request="true"')

  await expect(row).toContainText('restored until', { timeout: 30_000 })
  const done = await fetch(`${bucket}/ledger.csv`, { method: 'HEAD' })
  const expiry = /expiry-date="([^"]+)"/.exec(done.headers.get('x-cos-restore') ?? '')?.[1]
  expect(expiry).toBeTruthy()
  // The browser and this process share the time zone, so the row shows exactly this text.
  await expect(row).toContainText(`restored until ${formatDate(expiry!)}`)
  await expect(row.getByRole('button', { name: 'Restore ledger.csv' })).toHaveCount(0)

  const downloading = page.waitForEvent('download')
  await row.getByRole('button', { name: 'Download ledger.csv' }).click()
  const download = await downloading
  expect(readFileSync(await download.path(), 'utf8')).toBe('year,total\n2026,42\n')
  await expect(page.getByRole('alert').filter({ hasText: 'Cannot download' })).toHaveCount(0)
})
