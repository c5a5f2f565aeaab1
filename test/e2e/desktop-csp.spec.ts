import { expect, test, type Page } from '@playwright/test'
import { contentSecurityPolicy } from '../../main/desktop/security.ts'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { seed, swatch } from './ui-helpers.ts'

// The UI under the desktop shell's Content-Security-Policy (main/desktop/security.ts), added to
// the app's own responses as the shell does: the PDF preview's frame of the COS endpoint and the
// grid's thumbnails load without a CSP violation; with frames forbidden the same PDF is refused.
let server: HeadlessServer

// Pages fulfilled by the test (to add the header) count as outside the loopback address space,
// so Chromium's Local Network Access checks would block their requests to 127.0.0.1; the desktop
// window loads the app from loopback itself, where these checks do not apply.
test.use({
  launchOptions: {
    executablePath: process.env.COS_LOCAL_CHROMIUM || undefined,
    args: ['--no-first-run', '--disable-features=LocalNetworkAccessChecks']
  }
})

// A one-page PDF (no content stream needed for a viewer to open it).
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
)

test.beforeAll(async () => {
  server = await startHeadless()
  await seed(server, 'shell-1250000000', { 'doc.pdf': PDF, 'pic.png': swatch('#00897b') })
})

test.afterAll(async () => {
  await server?.stop()
})

// A request still in the route handler when a test ends (the page closing under it) must not fail
// the test: "route.fulfill: Fetch response has been disposed".
test.afterEach(async ({ page }) => {
  await page.unrouteAll({ behavior: 'ignoreErrors' })
})

/** Serves the app's pages with `csp` and records every violation the page reports. */
async function underCsp(page: Page, csp: string): Promise<() => Promise<string[]>> {
  const app = new URL(server.uiUrl).origin
  await page.route(
    (url) => url.origin === app,
    async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } })
    }
  )
  await page.addInitScript(() => {
    // Runs in the page (no DOM types in this project's test config).
    const page = globalThis as unknown as {
      cspViolations: string[]
      addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void
    }
    page.cspViolations = []
    page.addEventListener('securitypolicyviolation', (event) =>
      page.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`)
    )
  })
  return () => page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations)
}

function shellCsp(): string {
  return contentSecurityPolicy(new URL(server.uiUrl).origin, server.cosEndpoint)
}

test('desktop CSP: the PDF preview frames the COS endpoint and thumbnails load, with no violation', async ({
  page
}) => {
  const violations = await underCsp(page, shellCsp())
  await page.goto(`${server.uiUrl}#/shell-1250000000/?object=doc.pdf`)
  const frame = page.getByTestId('preview').locator('iframe')
  await expect(frame).toHaveAttribute('src', new RegExp(`^${server.cosEndpoint}/shell-1250000000/doc\\.pdf\\?`))
  await page.getByRole('button', { name: 'Grid', exact: true }).click()
  const thumbnail = page.getByRole('gridcell', { name: 'pic.png' }).getByTestId('thumbnail')
  await expect
    .poll(() => thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBe(64)
  await page.waitForTimeout(500)
  expect(await violations()).toEqual([])
})

test('desktop CSP: with frames forbidden (as before) the PDF frame is a violation', async ({ page }) => {
  const violations = await underCsp(page, shellCsp().replace(/frame-src [^;]+/, "frame-src 'none'"))
  await page.goto(`${server.uiUrl}#/shell-1250000000/?object=doc.pdf`)
  await expect(page.getByTestId('preview').locator('iframe')).toHaveCount(1)
  // A cross-origin report names only the origin.
  await expect.poll(violations).toContainEqual(`frame-src ${server.cosEndpoint}`)
})
