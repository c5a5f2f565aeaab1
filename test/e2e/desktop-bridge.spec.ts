import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'

// The UI's side of the desktop bridge (renderer/src/lib/desktop.ts), in Chromium against the real
// headless product: a stand-in for the preload's window.cosLocal (same shape as
// preload/contract/desktop.ts) maps dropped files to real paths on disk and records drags and
// menu listeners. The Electron tests (test/electron/) run the real preload where Electron exists.
let server: HeadlessServer
let disk: string

test.beforeAll(async () => {
  server = await startHeadless()
  disk = mkdtempSync(join(tmpdir(), 'cos-local-bridge-'))
  mkdirSync(join(disk, 'tree', 'sub'), { recursive: true })
  writeFileSync(join(disk, 'tree', 'a.txt'), 'alpha')
  writeFileSync(join(disk, 'tree', 'sub', 'b.txt'), 'beta')
  await fetch(`${server.cosEndpoint}/bridge-1250000000`, { method: 'PUT' })
  await fetch(`${server.cosEndpoint}/bridge-1250000000/existing.txt`, { method: 'PUT', body: 'here' })
})

test.afterAll(async () => {
  await server?.stop()
  rmSync(disk, { recursive: true, force: true })
})

async function openWithBridge(page: Page): Promise<void> {
  const paths = JSON.stringify({ tree: join(disk, 'tree') })
  // A string script: the test code is compiled without DOM types.
  await page.addInitScript(`{
    const paths = ${paths}
    window.__drags = []
    window.__menu = []
    window.__languages = []
    window.cosLocal = Object.freeze({
      apiUrl: location.origin,
      token: new URLSearchParams(location.search).get('token') || '',
      platform: 'linux',
      pickFiles: () => Promise.resolve([]),
      pickFolder: () => Promise.resolve(undefined),
      pathForFile: (file) => paths[file.name] || '',
      reveal: () => Promise.resolve(),
      openDataFolder: () => Promise.resolve(),
      startDrag: (object) => window.__drags.push(object),
      openExternal: () => Promise.resolve(true),
      onMenuCommand: (listener) => {
        window.__menu.push(listener)
        return () => {}
      },
      setLanguage: (locale) => window.__languages.push(locale)
    })
  }`)
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('cos-endpoint')).toHaveText(server.cosEndpoint)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /bridge-1250000000/ })
    .click()
}

test('a folder dropped with its path uploads from disk through the core, tree kept', async ({ page }) => {
  await openWithBridge(page)
  await page.evaluate(`{
    const zone = document.querySelector('[data-testid="drop-zone"]')
    const data = new DataTransfer()
    data.items.add(new File([], 'tree'))
    for (const type of ['dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }))
    }
  }`)
  const table = page.getByRole('table', { name: 'Objects' })
  await table.getByRole('button', { name: 'tree/' }).click()
  await expect(table.getByRole('button', { name: 'a.txt', exact: true })).toBeVisible()
  await table.getByRole('button', { name: 'sub/' }).click()
  await expect(table.getByRole('button', { name: 'b.txt', exact: true })).toBeVisible()
  expect(await (await fetch(`${server.cosEndpoint}/bridge-1250000000/tree/sub/b.txt`)).text()).toBe('beta')
})

test('dragging a file row out hands the object to the shell for a native drag', async ({ page }) => {
  await openWithBridge(page)
  const name = page.getByRole('table', { name: 'Objects' }).getByRole('button', { name: 'existing.txt', exact: true })
  await expect(name).toHaveAttribute('draggable', 'true')
  const prevented = await page.evaluate(`(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'existing.txt')
    const event = new DragEvent('dragstart', { dataTransfer: new DataTransfer(), bubbles: true, cancelable: true })
    button.dispatchEvent(event)
    return event.defaultPrevented
  })()`)
  expect(prevented).toBe(true)
  expect(await page.evaluate('window.__drags')).toEqual([{ bucket: 'bridge-1250000000', key: 'existing.txt' }])
})

test('Help → SDK Configuration from the menu opens the SDK dialog', async ({ page }) => {
  await openWithBridge(page)
  await page.evaluate(`window.__menu.forEach((listener) => listener('show-sdk-config'))`)
  await expect(page.getByRole('dialog')).toBeVisible()
})

test('the shell hears the UI language at load and on every switch (its menus follow it)', async ({ page }) => {
  await openWithBridge(page)
  await expect.poll(() => page.evaluate('window.__languages')).toEqual(['en'])
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN')
  await expect.poll(() => page.evaluate('window.__languages')).toEqual(['en', 'zh-CN'])
  await page.getByRole('combobox', { name: '语言' }).selectOption('en')
  await expect.poll(() => page.evaluate('window.__languages')).toEqual(['en', 'zh-CN', 'en'])
})
