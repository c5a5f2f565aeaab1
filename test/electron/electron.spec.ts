import { _electron as electron, expect, test } from '@playwright/test'
import { createRequire } from 'node:module'

function electronMissing(): string | undefined {
  try {
    createRequire(import.meta.url)('electron')
    return undefined
  } catch (error) {
    return (error as Error).message.split('\n')[0]
  }
}

const missing = electronMissing()

test('the desktop window shows the COS Local UI', async () => {
  test.skip(Boolean(missing), `Electron binary is not installed on this machine (${missing}); desktop test skipped`)
  const app = await electron.launch({ args: ['out/main/main.js'] })
  const window = await app.firstWindow()
  await expect(window.getByRole('heading', { name: 'COS Local' })).toBeVisible()
  await app.close()
})
