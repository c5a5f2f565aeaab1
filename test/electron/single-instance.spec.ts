import { expect, test } from '@playwright/test'
import { spawn } from 'node:child_process'
import { electronMissing, electronPath, launch, newProfile, root } from './electron-app.ts'

// A second launch of the same profile does not start a second core: it focuses the first window.
test.skip(Boolean(electronMissing), electronMissing)

test('a second launch exits and brings the first window back', async () => {
  const profile = newProfile()
  const { app, window } = await launch(profile)
  try {
    await expect(window.getByRole('heading', { name: 'COS Local', exact: true })).toBeVisible()
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.minimize())
    await expect
      .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isMinimized()))
      .toBe(true)

    const second = spawn(electronPath!, [root], { env: profile.env, stdio: 'ignore' })
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve))
    expect(code).toBe(0)

    await expect
      .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isMinimized()))
      .toBe(false)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  } finally {
    await app.close()
    profile.remove()
  }
})
