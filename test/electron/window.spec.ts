import { expect, test } from '@playwright/test'
import { bridgeOf, electronMissing, launch, newProfile, type Profile } from './electron-app.ts'

// The desktop window: opens on the UI, with the security settings the shell promises.
test.skip(Boolean(electronMissing), electronMissing)

let profile: Profile
test.beforeEach(() => {
  profile = newProfile()
})
test.afterEach(() => profile.remove())

test('the window opens on the COS Local UI, connected to the core through the bridge', async () => {
  const { app, window } = await launch(profile)
  try {
    await expect(window.getByRole('heading', { name: 'COS Local', exact: true })).toBeVisible()
    await expect(window.getByTestId('cos-endpoint')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/)
    const bridge = await bridgeOf(window)
    expect(bridge.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(bridge.token).toMatch(/^[0-9a-f]{48}$/)
    expect(window.url().startsWith(bridge.apiUrl + '/')).toBe(true)
    expect(await window.title()).toBe('COS Local')
  } finally {
    await app.close()
  }
})

test('security holds: no Node in the page, a frozen bridge, CSP, navigation, window.open and permissions denied', async () => {
  const { app, window } = await launch(profile)
  try {
    // Page scripts run without Node and see only the frozen bridge (context isolation + sandbox;
    // the options themselves are unit-tested in test/unit/desktop/security.test.ts).
    // String scripts: the test code is compiled without DOM types.
    const page = await window.evaluate(`({
      require: typeof window.require,
      process: typeof window.process,
      module: typeof window.module,
      frozen: Object.isFrozen(window.cosLocal),
      keys: Object.keys(window.cosLocal).sort(),
      opened: window.open('https://evil.example/') === null
    })`)
    expect(page).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      frozen: true,
      keys: [
        'apiUrl',
        'onMenuCommand',
        'openDataFolder',
        'openExternal',
        'pathForFile',
        'pickFiles',
        'pickFolder',
        'platform',
        'reveal',
        'setLanguage',
        'startDrag',
        'token'
      ],
      opened: true
    })
    expect(app.windows()).toHaveLength(1)

    const csp = await window.evaluate(`fetch(location.href).then((r) => r.headers.get('content-security-policy'))`)
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")

    const before = window.url()
    await window.evaluate(`location.href = 'https://evil.example/'`)
    await window.waitForTimeout(500)
    expect(window.url()).toBe(before)

    const denied = await window.evaluate(
      `navigator.mediaDevices.getUserMedia({ video: true }).then(() => 'granted', (error) => error.name)`
    )
    expect(denied).not.toBe('granted')
  } finally {
    await app.close()
  }
})
