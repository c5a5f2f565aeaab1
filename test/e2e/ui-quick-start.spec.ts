import { expect, test } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { appApi, openUi } from './ui-helpers.ts'

// An empty COS Local opens on the quick start; its demo wires a bucket to a function, and the
// first upload then shows its matched event and the function's run log: the card's story, from
// an empty data folder, in the browser.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

test('the quick start sets up a bucket, a function and a trigger; an upload then runs the function', async ({
  page
}) => {
  await openUi(page, server)
  const start = page.getByTestId('quick-start')
  await expect(start.getByRole('heading', { name: 'Welcome to COS Local' })).toBeVisible()
  await expect(start.getByRole('listitem')).toHaveCount(3)
  await start.getByRole('button', { name: 'Set up the demo' }).click()

  // the bucket opens, and the line above its list names the trigger that watches it
  await expect(page.getByRole('navigation', { name: 'Path' })).toContainText('demo-1250000000')
  await expect(start).toHaveCount(0)
  const watching = page.getByTestId('bucket-triggers')
  await expect(watching).toContainText('print-event')
  await expect(watching).toContainText('ObjectCreated:*')
  const triggers = await appApi<{ triggers: { functionName: string; bucket: string; event: string }[] }>(
    server,
    'GET',
    '/api/triggers'
  )
  expect(triggers.triggers.map(({ functionName, bucket, event }) => ({ functionName, bucket, event }))).toEqual([
    { functionName: 'print-event', bucket: 'demo-1250000000', event: 'cos:ObjectCreated:*' }
  ])

  await page.getByTestId('upload-files').setInputFiles({
    name: 'hello.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('hello, trigger')
  })
  await page.getByRole('tab', { name: /Events/ }).click()
  const row = page.getByTestId('event-row').filter({ hasText: 'print-event' })
  await expect(row).toContainText('demo-1250000000/hello.txt')
  await expect(row).toContainText('succeeded', { timeout: 30_000 })
  await page.getByRole('tab', { name: /Logs/ }).click()
  await expect(page.getByTestId('terminal')).toContainText('[print-event] Report RequestId')
})

test('the quick start opens the Create bucket dialog; a bucket made there ends it', async ({ page }) => {
  const fresh = await startHeadless()
  try {
    await openUi(page, fresh)
    const start = page.getByTestId('quick-start')
    await start.getByRole('button', { name: 'Create one now' }).click()
    const dialog = page.getByRole('dialog', { name: 'Create bucket' })
    await dialog.getByLabel('Bucket name').fill('first')
    await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    await expect(page.getByRole('navigation', { name: 'Path' })).toContainText('first-1250000000')
    await expect(start).toHaveCount(0)
  } finally {
    await fresh.stop()
  }
})

test('a bucket no trigger watches shows no trigger line', async ({ page }) => {
  await fetch(`${server.cosEndpoint}/quiet-1250000000`, { method: 'PUT' })
  await openUi(page, server)
  // with buckets, the quick start gives way to the usual "choose a bucket"
  await expect(page.getByRole('heading', { name: 'Choose a bucket' })).toBeVisible()
  await expect(page.getByTestId('quick-start')).toHaveCount(0)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /quiet-1250000000/ })
    .click()
  await expect(page.getByRole('navigation', { name: 'Path' })).toContainText('quiet-1250000000')
  await expect(page.getByTestId('empty-state')).toBeVisible()
  await expect(page.getByTestId('bucket-triggers')).toHaveCount(0)
})
