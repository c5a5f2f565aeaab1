import { expect, test } from '@playwright/test'
import { alive, appApi, bridgeOf, descendants, electronMissing, launch, newProfile } from './electron-app.ts'

// Quitting stops the core and kills the functions' warm processes: nothing is left behind.
test.skip(Boolean(electronMissing), electronMissing)

test('quit leaves no child process (warm function instances included)', async () => {
  const profile = newProfile()
  const { app, window } = await launch(profile)
  try {
    const bridge = await bridgeOf(window)
    await appApi(bridge, 'POST', '/api/functions', {
      name: 'warm',
      code: { type: 'template', template: 'nodejs-print-event' }
    })
    await appApi(bridge, 'POST', '/api/functions/warm/invoke', { template: 'cos:ObjectCreated:Put' })
    const pid = app.process().pid!
    const children = descendants(pid)
    expect(children.some((child) => child.command.includes('node-bootstrap'))).toBe(true)

    await app.close()
    await expect.poll(() => alive(pid), { timeout: 15_000 }).toBe(false)
    await expect
      .poll(() => children.filter((child) => alive(child.pid)).map((child) => child.command), { timeout: 15_000 })
      .toEqual([])
  } finally {
    profile.remove()
  }
})
