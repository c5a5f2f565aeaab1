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
  await expect(page.getByRole('heading', { name: 'COS Local' })).toBeVisible()
  await expect(page.getByTestId('cos-endpoint')).toHaveText(server.cosEndpoint)
})

test('the UI without the token gets a readable error, not data', async ({ page }) => {
  await page.goto(server.uiUrl.replace(/\?token=.*/, ''))
  await expect(page.getByRole('alert')).toContainText('token')
})
