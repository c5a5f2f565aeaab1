import { expect, test } from '@playwright/test'
import { unzipSync } from 'fflate'
import { readFileSync } from 'node:fs'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { openBucket, openUi, seed, table } from './ui-helpers.ts'

// Browsing as a COSBrowser user does it: the place in the URL, sorting across pages, filters,
// keyboard and context menu, rename / copy / move of folders, and downloads of several files.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

test('the URL keeps bucket, folder and selected object: reload, back and forward return there', async ({ page }) => {
  await seed(server, 'places-1250000000', { 'a/b/deep.txt': 'deep', 'a/top.txt': 'top', 'root.txt': 'root' })
  await openUi(page, server)
  await openBucket(page, 'places-1250000000')
  await table(page).getByRole('button', { name: 'a/' }).click()
  await table(page).getByRole('button', { name: 'b/' }).click()
  await table(page).getByRole('button', { name: 'deep.txt', exact: true }).click()
  await expect(page.getByTestId('details-panel')).toBeVisible()
  expect(new URL(page.url()).hash).toBe('#/places-1250000000/a/b/?object=a%2Fb%2Fdeep.txt')

  await page.reload()
  await expect(page.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'b' })).toHaveAttribute(
    'aria-current',
    'page'
  )
  await expect(page.getByTestId('details-panel')).toContainText('deep.txt')

  await page.goBack()
  await expect(table(page).getByRole('button', { name: 'top.txt', exact: true })).toBeVisible()
  await page.goForward()
  await expect(table(page).getByRole('button', { name: 'deep.txt', exact: true })).toBeVisible()

  // A typed address goes there.
  await page.getByRole('button', { name: 'Edit address' }).click()
  await page.getByLabel('Address').fill('places-1250000000/')
  await page.getByLabel('Address').press('Enter')
  await expect(table(page).getByRole('button', { name: 'root.txt', exact: true })).toBeVisible()
})

test('sorting by size loads every page first, then sorts the whole folder; the header shows the direction', async ({
  page
}) => {
  const objects: Record<string, string> = {}
  for (let i = 0; i < 1100; i++)
    objects[`f-${String(i).padStart(4, '0')}.txt`] = 'x'.repeat(i === 1050 ? 5000 : 10 + (i % 50))
  await seed(server, 'sorting-1250000000', objects)
  await openUi(page, server)
  await openBucket(page, 'sorting-1250000000')
  const status = page.getByRole('status').filter({ hasText: 'loaded' })
  await expect(status).toContainText('1000 items loaded')

  const size = table(page).getByRole('columnheader', { name: 'Size' })
  await size.getByRole('button').click()
  await expect(status).toContainText('1100 items loaded')
  await expect(size).toHaveAttribute('aria-sort', 'ascending')
  await size.getByRole('button').click()
  await expect(size).toHaveAttribute('aria-sort', 'descending')
  await expect(table(page).getByRole('row').nth(1)).toContainText('f-1050.txt')

  // The filter narrows the loaded rows; an empty result says what to do.
  await page.getByLabel('Filter loaded rows').fill('f-105')
  await expect(page.getByRole('status').filter({ hasText: 'shown' })).toContainText('10 shown')
  await page.getByLabel('Filter loaded rows').fill('nothing-like-this')
  await expect(page.getByTestId('empty-state')).toContainText('No loaded row matches the filter')
  await page.getByRole('button', { name: 'Clear the filter' }).click()

  // Prefix search asks COS for keys starting with the text.
  await page.getByLabel('Search by prefix').fill('f-109')
  await page.getByLabel('Search by prefix').press('Enter')
  await expect(status).toContainText('10 items loaded')
})

test('keyboard, context menu and rename of a folder (server-side copy, then delete)', async ({ page }) => {
  const bucket = await seed(server, 'renames-1250000000', {
    'docs/': '',
    'docs/one.txt': 'one',
    'docs/sub/two.txt': 'two',
    'zeta.txt': 'z'
  })
  await openUi(page, server)
  await openBucket(page, 'renames-1250000000')
  const objects = table(page)
  await objects.focus()
  await page.keyboard.press('ArrowDown')
  await expect(objects.getByRole('row', { selected: true })).toContainText('docs/')
  await page.keyboard.press('Enter')
  await expect(objects.getByRole('button', { name: 'one.txt', exact: true })).toBeVisible()
  await objects.focus()
  await page.keyboard.press('Backspace')
  await expect(objects.getByRole('button', { name: 'zeta.txt', exact: true })).toBeVisible()

  await objects.getByRole('row').filter({ hasText: 'docs/' }).click({ button: 'right' })
  await page
    .getByRole('menu')
    .getByRole('menuitem', { name: /Rename/ })
    .click()
  const dialog = page.getByRole('dialog', { name: 'Rename' })
  await dialog.getByLabel('New name').fill('papers')
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(objects.getByRole('button', { name: 'papers/' })).toBeVisible()
  await expect(objects.getByRole('button', { name: 'docs/' })).toHaveCount(0)
  expect(await (await fetch(`${bucket}/papers/sub/two.txt`)).text()).toBe('two')
  expect((await fetch(`${bucket}/docs/one.txt`, { method: 'HEAD' })).status).toBe(404)

  // F2 renames a file; a copy onto an existing name asks first.
  await objects.getByRole('row').filter({ hasText: 'zeta.txt' }).click()
  await page.keyboard.press('F2')
  await page.getByRole('dialog', { name: 'Rename' }).getByLabel('New name').fill('alpha.txt')
  await page.getByRole('dialog', { name: 'Rename' }).getByRole('button', { name: 'Rename', exact: true }).click()
  await expect(objects.getByRole('button', { name: 'alpha.txt', exact: true })).toBeVisible()

  await fetch(`${bucket}/papers/alpha.txt`, { method: 'PUT', body: 'older' })
  await objects.getByRole('checkbox', { name: 'Select alpha.txt' }).check()
  await page.getByRole('button', { name: 'Copy to…' }).click()
  const copy = page.getByRole('dialog', { name: 'Copy to another folder' })
  await copy.getByLabel('Target folder (prefix)').fill('papers/')
  await copy.getByRole('button', { name: 'Copy', exact: true }).click()
  await expect(copy.getByRole('alert')).toContainText('1 target names exist already')
  await copy.getByRole('button', { name: 'Overwrite' }).click()
  await expect(copy).toHaveCount(0)
  expect(await (await fetch(`${bucket}/papers/alpha.txt`)).text()).toBe('z')
})

test('three selected files are each saved; a folder downloads as one zip with its bytes', async ({ page }) => {
  await seed(server, 'zips-1250000000', {
    'one.txt': 'first file',
    'two.txt': 'second file',
    'three.txt': 'third file',
    'album/a.txt': 'alpha',
    'album/sub/b.bin': Buffer.from([0, 1, 2, 3, 254, 255])
  })
  await openUi(page, server)
  await openBucket(page, 'zips-1250000000')
  const objects = table(page)
  for (const name of ['one.txt', 'two.txt', 'three.txt'])
    await objects.getByRole('checkbox', { name: `Select ${name}` }).check()
  const saved: Record<string, string> = {}
  const allSaved = new Promise<void>((resolve) => {
    page.on('download', async (download) => {
      saved[download.suggestedFilename()] = readFileSync(await download.path(), 'utf8')
      if (Object.keys(saved).length === 3) resolve()
    })
  })
  await page
    .getByRole('toolbar', { name: 'Object actions' })
    .getByRole('button', { name: 'Download', exact: true })
    .click()
  await allSaved
  expect(saved).toEqual({ 'one.txt': 'first file', 'two.txt': 'second file', 'three.txt': 'third file' })
  page.removeAllListeners('download')

  await objects.getByRole('checkbox', { name: 'Select all loaded' }).check()
  await objects.getByRole('checkbox', { name: 'Select all loaded' }).uncheck()
  await objects.getByRole('checkbox', { name: 'Select album/' }).check()
  const zipping = page.waitForEvent('download')
  await page
    .getByRole('toolbar', { name: 'Object actions' })
    .getByRole('button', { name: 'Download', exact: true })
    .click()
  const zip = await zipping
  expect(zip.suggestedFilename()).toBe('album.zip')
  const files = unzipSync(new Uint8Array(readFileSync(await zip.path())))
  expect(Object.keys(files).sort()).toEqual(['album/a.txt', 'album/sub/b.bin'])
  expect(Buffer.from(files['album/a.txt']!).toString()).toBe('alpha')
  expect([...files['album/sub/b.bin']!]).toEqual([0, 1, 2, 3, 254, 255])
})

test('zh-CN: the first screen speaks Chinese when the system does; English is one switch away', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto(server.uiUrl)
  await expect(page.getByRole('button', { name: '创建存储桶' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: '存储桶' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await page.getByLabel('语言').selectOption('en')
  await expect(page.getByRole('button', { name: 'Create bucket' })).toBeVisible()
  await page.reload()
  await expect(page.getByRole('button', { name: 'Create bucket' })).toBeVisible()
  await context.close()
})

test('a page loaded at a folder reads its listing itself (DOMParser) as the listing worker would: odd keys stay exact', async ({
  page
}) => {
  const keys = ['odd/a b+c.txt', 'odd/x&y<z>"q\'.txt', 'odd/中文 100%.txt', 'odd/sub/inner.txt', 'odd/ spaced .txt']
  await seed(
    server,
    'odd-keys-1250000000',
    Object.fromEntries(keys.map((key) => [key.split('/').map(encodeURIComponent).join('/'), 'x']))
  )
  const rowKeys = (): Promise<string[]> =>
    page.locator('[data-key]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key')!).sort())
  const expected = ['odd/ spaced .txt', 'odd/a b+c.txt', 'odd/sub/', 'odd/x&y<z>"q\'.txt', 'odd/中文 100%.txt']
  // The first listing after a load is parsed on the page's thread; the worker starts after its rows.
  await openUi(page, server, '#/odd-keys-1250000000/odd/')
  await expect.poll(rowKeys).toEqual(expected)
  // Later listings go to the worker once it is up.
  await expect
    .poll(() =>
      page.evaluate(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('list-worker')))
    )
    .toBe(true)
  await table(page).getByRole('button', { name: 'sub/' }).click()
  await expect(table(page).getByRole('button', { name: 'inner.txt', exact: true })).toBeVisible()
  await page.goBack()
  await expect.poll(rowKeys).toEqual(expected)
})
