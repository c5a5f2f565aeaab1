import { expect, test, type Page } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { openBucket, openUi, seed, swatch } from './ui-helpers.ts'

// The grid (thumbnail) layout: images show thumbnails (pre-signed GETs, only for cells in view,
// none over the size cap), the choice is remembered, the keyboard moves in two dimensions,
// Enter opens, the context menu works, and a big folder keeps only the visible cells in the DOM.
let server: HeadlessServer

const LONG = 'a-very-long-image-name-that-cannot-fit-in-one-grid-cell-even-on-two-lines-2026-final.png'

test.beforeAll(async () => {
  server = await startHeadless()
  await seed(server, 'grid-1250000000', {
    'albums/': '',
    'albums/inside.png': swatch('#7b61ff'),
    'red.png': swatch('#e53935'),
    'green.png': swatch('#43a047'),
    'blue.png': swatch('#1e88e5'),
    [LONG]: swatch('#fb8c00'),
    'notes.txt': 'not an image',
    'report.pdf': '%PDF-1.4 not really',
    // Over the 20 MB thumbnail cap: the type icon, and no GET for it.
    'huge.png': Buffer.alloc(21 * 1024 * 1024, 1)
  })
})

test.afterAll(async () => {
  await server?.stop()
})

function grid(page: Page) {
  return page.getByRole('grid', { name: 'Objects' })
}

function cell(page: Page, name: string) {
  return grid(page).getByRole('gridcell', { name, exact: true })
}

test('grid layout: thumbnails for images, icons for the rest, remembered across a reload', async ({ page }) => {
  const gets: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'GET' && request.url().startsWith(server.cosEndpoint)) gets.push(request.url())
  })
  await openUi(page, server)
  await openBucket(page, 'grid-1250000000')
  await page.getByRole('button', { name: 'Grid', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Grid', exact: true })).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByRole('table', { name: 'Objects' })).toHaveCount(0)

  for (const name of ['red.png', 'green.png', 'blue.png', LONG]) {
    const thumbnail = cell(page, name).getByTestId('thumbnail')
    await expect(thumbnail).toBeVisible()
    await expect
      .poll(() => thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(64)
  }
  for (const name of ['huge.png', 'notes.txt', 'report.pdf']) {
    await expect(cell(page, name)).toBeVisible()
    await expect(cell(page, name).getByTestId('thumbnail')).toHaveCount(0)
  }
  await expect(cell(page, 'albums/')).toContainText('Folder')
  // Thumbnails are signed GETs of the objects themselves; the big image is never fetched.
  expect(gets.some((url) => url.includes('/red.png?') && url.includes('q-signature'))).toBe(true)
  expect(gets.some((url) => url.includes('/huge.png'))).toBe(false)

  // A long name is cut (two lines) with the full name on hover.
  const long = cell(page, LONG)
  expect(await long.getAttribute('title')).toContain(LONG)
  const name = long.locator('.name')
  expect(await name.evaluate((el) => el.scrollHeight > el.clientHeight + 1)).toBe(true)

  await page.reload()
  await expect(grid(page)).toBeVisible()
  await expect(cell(page, 'red.png').getByTestId('thumbnail')).toBeVisible()
  await page.getByRole('button', { name: 'List', exact: true }).click()
  await expect(page.getByRole('table', { name: 'Objects' })).toBeVisible()
  await expect(grid(page)).toHaveCount(0)
  await page.reload()
  await expect(page.getByRole('table', { name: 'Objects' })).toBeVisible()
})

test('grid keyboard: arrows move in two dimensions, Enter opens a file and a folder, Backspace goes up', async ({
  page
}) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await openUi(page, server, '#/grid-1250000000/')
  await page.getByRole('button', { name: 'Grid', exact: true }).click()
  await expect(cell(page, 'red.png')).toBeVisible()
  const columns = Number(await grid(page).getAttribute('aria-colcount'))
  // Nine cells in at least two rows.
  expect(columns).toBeGreaterThan(1)
  expect(columns).toBeLessThan(8)
  const names = await grid(page)
    .getByRole('gridcell')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label')))
  expect(names[0]).toBe('albums/')

  const selected = () =>
    grid(page)
      .locator('[role="gridcell"][aria-selected="true"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label')))
  await grid(page).focus()
  await page.keyboard.press('ArrowRight')
  expect(await selected()).toEqual([names[0]])
  await page.keyboard.press('ArrowRight')
  expect(await selected()).toEqual([names[1]])
  await page.keyboard.press('ArrowDown')
  expect(await selected()).toEqual([names[1 + columns]])
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('Shift+ArrowRight')
  expect(await selected()).toEqual([names[1], names[2]])
  await page.keyboard.press('End')
  expect(await selected()).toEqual([names.at(-1)])
  await page.keyboard.press('Home')
  await page.keyboard.press('ArrowRight')

  // Enter on an image opens its details with the preview.
  const index = names.indexOf('red.png')
  await page.keyboard.press('Home')
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight')
  expect(await selected()).toEqual(['red.png'])
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('preview').locator('img')).toBeVisible()
  await expect(page).toHaveURL(/object=red\.png/)

  // Right-click offers the object actions.
  await cell(page, 'green.png').click({ button: 'right' })
  const menu = page.getByRole('menu')
  await expect(menu.getByRole('menuitem', { name: /^Download/ })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(menu).toHaveCount(0)

  // Enter on the folder opens it; double-click works too; Backspace goes back up.
  await grid(page).focus()
  await page.keyboard.press('Home')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('navigation', { name: 'Path' })).toContainText('albums')
  await expect(cell(page, 'inside.png').getByTestId('thumbnail')).toBeVisible()
  await grid(page).focus()
  await page.keyboard.press('Backspace')
  await expect(cell(page, 'red.png')).toBeVisible()
  await cell(page, 'albums/').dblclick()
  await expect(cell(page, 'inside.png')).toBeVisible()
})

test('grid virtualization: 2,100 objects keep only the visible cells in the DOM; the end loads more pages', async ({
  page
}) => {
  const objects: Record<string, string> = {}
  for (let i = 0; i < 2100; i++) objects[`many/file-${String(i).padStart(5, '0')}.txt`] = 'x'
  await seed(server, 'grid-1250000000', objects)
  await openUi(page, server, '#/grid-1250000000/many/')
  await page.getByRole('button', { name: 'Grid', exact: true }).click()
  await expect(cell(page, 'file-00000.txt')).toBeVisible()
  const inDom = () => grid(page).getByRole('gridcell').count()
  const columns = Number(await grid(page).getAttribute('aria-colcount'))
  expect(await inDom()).toBeLessThanOrEqual(columns * 12)
  await grid(page).focus()
  // End, then End again once the next pages arrive, until the last key is reached.
  await expect
    .poll(
      async () => {
        await page.keyboard.press('End')
        return grid(page).getByRole('gridcell', { name: 'file-02099.txt' }).count()
      },
      { timeout: 30_000 }
    )
    .toBe(1)
  expect(await inDom()).toBeLessThanOrEqual(columns * 12)
  await expect(page.getByText('2100 items loaded')).toBeVisible()
})
