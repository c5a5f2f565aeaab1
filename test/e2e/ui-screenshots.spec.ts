import { expect, test, type Browser, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { printEventFunction, seed, swatch } from './ui-helpers.ts'

// Screenshots of the main views at 1440×900 and 1024×768, light and dark, English and
// Simplified Chinese, for a person to look at (test-results/screenshots/).
let server: HeadlessServer
/** A COS Local with nothing in it: the quick start. */
let empty: HeadlessServer
// Eight browser contexts per view.
test.setTimeout(240_000)
const OUT = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots')

// A 2×2 PNG (red, green, blue, white).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64'
)

test.beforeAll(async () => {
  server = await startHeadless(['--clock-speed', '60'])
  mkdirSync(OUT, { recursive: true })
  const objects: Record<string, string | Buffer> = {
    'photos/': '',
    'reports/': '',
    'photos/cat.png': PNG,
    'photos/sunset.png': swatch('#f4511e', 160),
    'photos/forest.png': swatch('#2e7d32', 160),
    'photos/sea.png': swatch('#1565c0', 160),
    'banner.png': swatch('#8e24aa', 200),
    // A Buffer, so fetch sends no text/plain Content-Type and COS types it by its extension.
    'diagram.svg': Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#fff8e1"/><rect x="10" y="20" width="40" height="40" fill="#ffb300"/><rect x="70" y="20" width="40" height="40" fill="#00897b"/><path d="M50 40h20" stroke="#333" stroke-width="3"/></svg>'
    ),
    'README.md': '# Sample bucket\n\nThis **bucket** holds the *demo* files.\n\n- photos\n- reports\n',
    'data.json': JSON.stringify({ name: 'demo', items: [1, 2, 3], nested: { ok: true } }),
    'table.csv': 'city,visits\nGuangzhou,120\nShanghai,98\n',
    'a-very-long-file-name-that-does-not-fit-in-the-name-column-at-1024-pixels-wide-2026-report-final-v2.txt': 'long'
  }
  for (let i = 0; i < 30; i++) objects[`logs/2026-12-${String(i + 1).padStart(2, '0')}.log`] = 'x'.repeat(100 * i)
  await seed(server, 'demo-1250000000', objects)
  await fetch(`${server.cosEndpoint}/demo-1250000000/cold-backup.tar`, {
    method: 'PUT',
    body: 'cold',
    headers: { 'x-cos-storage-class': 'ARCHIVE' }
  })
  await seed(server, 'backups-1250000000')
  // a function the demo bucket's PNGs run: the line above the object list names it
  await printEventFunction(server, 'thumbnailer', { bucket: 'demo-1250000000', prefix: 'photos/', suffix: '.png' })
  empty = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
  await empty?.stop()
})

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 }
]

async function shoot(
  browser: Browser,
  name: string,
  hash: string,
  act?: (page: Page) => Promise<void>,
  target: HeadlessServer = server
) {
  for (const size of SIZES) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const locale of ['en', 'zh-CN']) {
        const context = await browser.newContext({ viewport: size, colorScheme: scheme, locale })
        const page = await context.newPage()
        await page.goto(target.uiUrl + hash)
        await expect(page.getByTestId('cos-endpoint')).toBeVisible()
        await page.waitForLoadState('networkidle')
        if (act) await act(page)
        await page.waitForTimeout(300)
        await page.screenshot({ path: join(OUT, `${name}-${size.width}-${scheme}-${locale}.png`) })
        await context.close()
      }
    }
  }
}

test('screenshots: object list with the details panel (preview)', async ({ browser }) => {
  await shoot(browser, 'browser', '#/demo-1250000000/?object=README.md', async (page) => {
    await expect(page.getByTestId('preview')).toContainText('Sample bucket')
  })
})

test('screenshots: the quick start of an empty COS Local', async ({ browser }) => {
  await shoot(
    browser,
    'quick-start',
    '#/',
    async (page) => {
      await expect(
        page.getByTestId('quick-start').getByRole('button', { name: /Set up the demo|一键创建示例/ })
      ).toBeEnabled()
    },
    empty
  )
})

test('screenshots: the demo bucket after an upload (its trigger line, the transfer, new events)', async ({
  browser
}) => {
  await shoot(
    browser,
    'demo-upload',
    '#/',
    async (page) => {
      // the first variant sets the demo up; the others find it made
      const setUp = page.getByTestId('quick-start').getByRole('button', { name: /Set up the demo|一键创建示例/ })
      const bucket = page.getByRole('navigation', { name: /Buckets|存储桶/ }).getByRole('button', { name: /demo-/ })
      await expect(setUp.or(bucket)).toBeVisible()
      if (await setUp.isVisible()) await setUp.click()
      else await bucket.click()
      await expect(page.getByTestId('bucket-triggers')).toBeVisible()
      await page.getByTestId('upload-files').setInputFiles({
        name: 'hello.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('hello, trigger')
      })
      await expect(page.getByRole('tab', { name: /new events|有新事件/ })).toBeVisible({ timeout: 30_000 })
    },
    empty
  )
})

test('screenshots: a folder with a context menu', async ({ browser }) => {
  await shoot(browser, 'menu', '#/demo-1250000000/logs/', async (page) => {
    const row = page.getByRole('table').getByRole('row').nth(3)
    await row.click({ button: 'right' })
    await expect(page.getByRole('menu')).toBeVisible()
  })
})

test('screenshots: create bucket with an inline name problem', async ({ browser }) => {
  await shoot(browser, 'create-bucket', '#/', async (page) => {
    await page.getByRole('button', { name: /Create bucket|创建存储桶/ }).click()
    await page.getByRole('dialog').getByRole('textbox').fill('demo-1250000001')
    await expect(page.getByTestId('bucket-name-problem')).toBeVisible()
  })
})

test('screenshots: grid layout with thumbnails', async ({ browser }) => {
  await shoot(browser, 'grid', '#/demo-1250000000/', async (page) => {
    await page.getByRole('button', { name: /^(Grid|网格)$/ }).click()
    await expect(page.getByTestId('thumbnail').first()).toBeVisible()
  })
  await shoot(browser, 'grid-photos', '#/demo-1250000000/photos/?object=photos%2Fsunset.png', async (page) => {
    await page.getByRole('button', { name: /^(Grid|网格)$/ }).click()
    await expect(page.getByTestId('thumbnail')).toHaveCount(4)
    await expect(page.getByTestId('preview').locator('img')).toBeVisible()
  })
})
