import { expect, test } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { openBucket, openUi, seed, table } from './ui-helpers.ts'

// Versioning from the UI: switched on in the bucket settings, a delete that says it adds a
// delete marker, the versions view, making an old version current again, and a permanent
// delete of one version behind its own confirmation.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

test('versions: enable, delete adds a marker, show versions, restore an old one, delete one permanently', async ({
  page
}) => {
  const bucket = await seed(server, 'history-1250000000')
  await openUi(page, server)
  await openBucket(page, 'history-1250000000')
  const nav = page.getByRole('navigation', { name: 'Buckets' })
  await nav
    .getByRole('listitem')
    .filter({ hasText: 'history-1250000000' })
    .getByRole('button', { name: 'Bucket actions' })
    .click()
  await page.getByRole('menuitem', { name: /Settings/ }).click()
  const settings = page.getByRole('dialog', { name: /Bucket settings/ })
  await expect(settings.getByTestId('versioning-status')).toContainText('Off')
  await settings.getByRole('button', { name: 'Enable versioning' }).click()
  await expect(settings.getByTestId('versioning-status')).toContainText('On')
  await settings.getByRole('button', { name: 'Close' }).click()

  await fetch(`${bucket}/doc.txt`, { method: 'PUT', body: 'first' })
  await fetch(`${bucket}/doc.txt`, { method: 'PUT', body: 'second' })
  await page.getByRole('button', { name: 'Refresh', exact: true }).click()
  const objects = table(page)
  await objects.getByRole('checkbox', { name: 'Select doc.txt' }).check()
  await page.getByRole('button', { name: 'Delete (1)' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete objects' })
  await expect(dialog.getByTestId('delete-consequence')).toContainText('delete marker')
  await expect(dialog).not.toContainText('cannot be undone')
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  expect((await fetch(`${bucket}/doc.txt`)).status).toBe(404)

  await page.getByLabel('Show versions').check()
  await expect(objects.getByRole('row').filter({ hasText: 'doc.txt' })).toHaveCount(3)
  await expect(objects.getByRole('row').filter({ hasText: 'delete marker' })).toHaveCount(1)

  // The oldest version becomes current again (a copy of it on top).
  await objects.getByRole('button', { name: 'doc.txt' }).first().click()
  const panel = page.getByTestId('details-panel')
  await panel.getByRole('tab', { name: 'Versions' }).click()
  const versions = panel.getByTestId('version')
  await expect(versions).toHaveCount(3)
  await versions.last().getByRole('button', { name: 'Make current' }).click()
  await expect(panel.getByRole('status')).toContainText('current version again')
  expect(await (await fetch(`${bucket}/doc.txt`)).text()).toBe('first')

  // Permanent delete of one version: its own dialog, and a confirmation box first.
  await expect(versions).toHaveCount(4)
  await versions.last().getByRole('button', { name: 'Delete permanently' }).click()
  const permanent = page.getByRole('dialog', { name: 'Delete versions permanently' })
  await expect(permanent.getByTestId('delete-consequence')).toContainText('cannot be undone')
  const confirm = permanent.getByRole('button', { name: 'Delete permanently' })
  await expect(confirm).toBeDisabled()
  await permanent.getByLabel('I understand these versions cannot be recovered').check()
  await confirm.click()
  await expect(permanent).toHaveCount(0)
  const listing = await (await fetch(`${bucket}?versions`)).text()
  expect(listing.match(/<Version>/g)?.length).toBe(2)
})
