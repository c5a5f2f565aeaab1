import { expect, test } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { appApi } from './ui-helpers.ts'

// Online code editing in the Functions tab: open a function, edit its handler in the
// CodeMirror editor, save with Ctrl+S, test-invoke and see the new code's answer.
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

test('edits a function’s handler online, saves it and the next test invoke runs the new code', async ({ page }) => {
  await fetch(`${server.cosEndpoint}/editor-1250000000`, { method: 'PUT' })
  await appApi(server, 'POST', '/api/functions', {
    name: 'editable',
    runtime: 'nodejs',
    code: {
      type: 'files',
      files: {
        'index.js': 'exports.main_handler = async () => ({ version: "old" })\n',
        'lib/helper.js': 'module.exports = 1\n'
      }
    }
  })
  await page.setViewportSize({ width: 1440, height: 1000 })
  await page.goto(server.uiUrl)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /editor-1250000000/ })
    .click()
  await page.getByRole('tab', { name: 'Functions' }).click()
  await page
    .getByRole('navigation', { name: 'Functions' })
    .getByRole('button', { name: /editable/ })
    .click()

  const code = page.getByRole('region', { name: 'Code' })
  await expect(code.getByTestId('code-current')).toHaveText('index.js')
  await expect(code.getByRole('navigation', { name: 'Code files' })).toContainText('lib/')
  await expect(code.getByRole('navigation', { name: 'Code files' })).toContainText('helper.js')
  const editor = code.locator('.cm-content')
  await expect(editor).toContainText('version: "old"')

  await editor.click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText('exports.main_handler = async () => ({ version: "edited online" })\n')
  await expect(code.getByTestId('code-current')).toHaveText('index.js •')
  await expect(code.getByRole('button', { name: 'Save' })).toBeEnabled()
  await page.screenshot({ path: 'test-results/code-editor-1440.png', fullPage: false })
  await page.keyboard.press('ControlOrMeta+S')
  await expect(code.getByRole('status')).toContainText('Saved; the next invocation runs revision')
  await expect(code.getByTestId('code-current')).toHaveText('index.js')
  await expect(code.getByRole('button', { name: 'Save' })).toBeDisabled()

  const invoke = page.getByRole('region', { name: 'Test invoke' })
  await invoke.getByRole('button', { name: 'Invoke' }).click()
  const result = invoke.getByTestId('invocation-result')
  await expect(result.getByTestId('invocation-status')).toHaveText('succeeded', { timeout: 30_000 })
  await expect(result).toContainText('{"version":"edited online"}')
  await expect(result.getByLabel('Run log')).toContainText('code reloaded: index.js edited online')

  // Dark theme and a narrower window.
  await page.evaluate("localStorage.setItem('cos-local.theme', 'dark')")
  await page.setViewportSize({ width: 1024, height: 800 })
  await page.reload()
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /editor-1250000000/ })
    .click()
  await page.getByRole('tab', { name: 'Functions' }).click()
  await page
    .getByRole('navigation', { name: 'Functions' })
    .getByRole('button', { name: /editable/ })
    .click()
  await expect(page.getByRole('region', { name: 'Code' }).locator('.cm-content')).toContainText('edited online')
  await page.getByRole('region', { name: 'Code' }).scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/code-editor-1024-dark.png', fullPage: false })
})
