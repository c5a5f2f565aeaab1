import { expect, test } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { openUi, seed } from './ui-helpers.ts'

// Buckets: COS's naming rules (this instance's APPID) checked as the user types, deleting a
// bucket after emptying it (versions and unfinished multipart uploads too), statistics, and
// bucket rules as XML that the server validates.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

test('a foreign APPID is refused inline with COS rules; nothing is created', async ({ page }) => {
  await openUi(page, server)
  await page.getByRole('button', { name: 'Create bucket' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create bucket' })
  await dialog.getByLabel('Bucket name').fill('demo-1250000001')
  await expect(dialog.getByTestId('bucket-name-problem')).toContainText('1250000001')
  await expect(dialog.getByTestId('bucket-name-problem')).toContainText('-1250000000')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog.getByRole('alert')).toContainText('InvalidBucketName')
  expect(await (await fetch(`${server.cosEndpoint}/`)).text()).not.toContain('demo-1250000001')
  await dialog.getByLabel('Bucket name').fill('-bad')
  await expect(dialog.getByTestId('bucket-name-problem')).toContainText('start or end')
  await dialog.getByLabel('Bucket name').fill('good')
  await expect(dialog.getByTestId('bucket-name-problem')).toHaveCount(0)
  // Not the server's default region (ap-guangzhou): the bucket must really be in the one chosen.
  await dialog.getByLabel('Region').selectOption('ap-shanghai')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  const listing = await (await fetch(`${server.cosEndpoint}/`)).text()
  expect(listing).toMatch(/<Name>good-1250000000<\/Name>\s*<Location>ap-shanghai<\/Location>/)
  const location = await (await fetch(`${server.cosEndpoint}/good-1250000000?location`)).text()
  expect(location).toContain('<LocationConstraint>ap-shanghai</LocationConstraint>')
  const head = await fetch(`${server.cosEndpoint}/good-1250000000`, { method: 'HEAD' })
  expect(head.headers.get('x-cos-bucket-region')).toBe('ap-shanghai')
})

test('delete a bucket after emptying it: versions, markers and unfinished multipart uploads', async ({ page }) => {
  const bucket = await seed(server, 'doomed-1250000000', { 'a.txt': 'a', 'dir/b.txt': 'b' })
  await fetch(`${bucket}?versioning`, {
    method: 'PUT',
    body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>'
  })
  await fetch(`${bucket}/a.txt`, { method: 'PUT', body: 'a2' })
  await fetch(`${bucket}/a.txt`, { method: 'DELETE' })
  expect((await fetch(`${bucket}/parts.bin?uploads`, { method: 'POST' })).status).toBe(200)

  await openUi(page, server)
  const item = page.getByRole('navigation', { name: 'Buckets' }).getByRole('listitem').filter({ hasText: 'doomed' })
  await item.getByRole('button', { name: 'Bucket actions' }).click()
  await page.getByRole('menuitem', { name: /Settings/ }).click()
  const settings = page.getByRole('dialog', { name: /Bucket settings/ })
  await settings.getByRole('button', { name: 'Count objects and bytes' }).click()
  await expect(settings.getByTestId('bucket-stats')).toContainText('1 objects')
  await settings.getByRole('button', { name: 'Close' }).click()

  await item.getByRole('button', { name: 'Bucket actions' }).click()
  await page.getByRole('menuitem', { name: /Delete bucket/ }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete bucket' })
  await dialog.getByLabel('Type the bucket name to confirm').fill('doomed-1250000000')
  await dialog.getByRole('button', { name: 'Delete bucket' }).click()
  await expect(dialog.getByRole('alert')).toContainText('BucketNotEmpty')
  await expect(dialog.getByRole('checkbox')).toBeChecked()
  await dialog.getByRole('button', { name: 'Delete bucket' }).click()
  await expect(dialog).toHaveCount(0)
  expect((await fetch(bucket, { method: 'HEAD' })).status).toBe(404)
})

test('bucket rules as XML: COS rejects a bad document with its code, a good one is stored', async ({ page }) => {
  const bucket = await seed(server, 'rules-1250000000')
  await openUi(page, server)
  const item = page.getByRole('navigation', { name: 'Buckets' }).getByRole('listitem').filter({ hasText: 'rules' })
  await item.getByRole('button', { name: 'Bucket actions' }).click()
  await page.getByRole('menuitem', { name: /Settings/ }).click()
  const settings = page.getByRole('dialog', { name: /Bucket settings/ })
  await settings.getByRole('tab', { name: 'CORS' }).click()
  const editor = settings.getByLabel('Rules as XML')
  await expect(editor).toHaveValue(/<CORSConfiguration>/)
  await editor.fill('<CORSConfiguration><CORSRule>')
  await settings.getByRole('button', { name: 'Save' }).click()
  await expect(settings.getByRole('alert')).toContainText('MalformedXML')
  expect(await (await fetch(`${bucket}?cors`)).text()).not.toContain('https://example.com')

  await editor.fill(
    '<CORSConfiguration><CORSRule><AllowedOrigin>https://example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>'
  )
  await settings.getByRole('button', { name: 'Save' }).click()
  await expect(settings.getByRole('status')).toContainText('COS accepted')
  expect(await (await fetch(`${bucket}?cors`)).text()).toContain('https://example.com')
})
