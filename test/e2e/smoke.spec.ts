import { expect, test } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

test('the headless server serves the UI, which shows the COS endpoint', async ({ page }) => {
  await page.goto(server.uiUrl)
  await expect(page.getByRole('heading', { name: 'COS Local', exact: true })).toBeVisible()
  await expect(page.getByTestId('cos-endpoint')).toHaveText(server.cosEndpoint)
})

test('the UI without the token gets a readable error, not data', async ({ page }) => {
  await page.goto(server.uiUrl.replace(/\?token=.*/, ''))
  await expect(page.getByRole('alert')).toContainText('token')
})

test('the theme follows the system until one is chosen, and the choice is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.goto(server.uiUrl)
  const root = page.locator('html')
  await expect(root).toHaveAttribute('data-theme', 'dark')
  // While the choice is "system", a change of the system's setting is followed at once.
  await page.emulateMedia({ colorScheme: 'light' })
  await expect(root).toHaveAttribute('data-theme', 'light')
  await expect(root).toHaveCSS('background-color', 'rgb(255, 255, 255)')

  await page.getByLabel('Theme').selectOption('dark')
  await expect(root).toHaveAttribute('data-theme', 'dark')
  await expect(root).toHaveCSS('background-color', 'rgb(22, 24, 29)')
  await page.reload()
  await expect(root).toHaveAttribute('data-theme', 'dark')
})
