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

  await page.getByRole('tab', { name: 'Test invoke' }).click()
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

test('creates, renames and deletes files in the code editor; the function reloads after each', async ({ page }) => {
  await fetch(`${server.cosEndpoint}/fileops-1250000000`, { method: 'PUT' })
  await appApi(server, 'POST', '/api/functions', {
    name: 'fileops',
    runtime: 'nodejs',
    code: {
      type: 'files',
      files: { 'index.js': 'exports.main_handler = async () => "plain"\n', 'lib/extra.js': '// spare\n' }
    }
  })
  await page.setViewportSize({ width: 1440, height: 1000 })
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: 'Functions' }).click()
  await page
    .getByRole('navigation', { name: 'Functions' })
    .getByRole('button', { name: /fileops/ })
    .click()
  const code = page.getByRole('region', { name: 'Code' })
  const tree = code.getByRole('navigation', { name: 'Code files' })
  const editor = code.locator('.cm-content')
  await expect(code.getByTestId('code-current')).toHaveText('index.js')

  // New file: bad names are refused in the dialog, before the server is asked.
  await code.getByRole('button', { name: 'New file' }).click()
  let dialog = page.getByRole('dialog', { name: 'New file' })
  const name = dialog.getByLabel('File name')
  for (const [bad, why] of [
    ['../escape.js', '“..” is not allowed'],
    ['/etc/x.js', 'inside the function’s folder'],
    ['lib/extra.js', 'lib/extra.js already exists']
  ]) {
    await name.fill(bad!)
    await expect(dialog.getByRole('alert')).toContainText(why!)
    await expect(dialog.getByRole('button', { name: 'Create', exact: true })).toBeDisabled()
  }
  await name.fill('lib/msg.js')
  await page.screenshot({ path: 'test-results/code-editor-new-file-1440.png' })
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(code.getByRole('status')).toContainText('Created lib/msg.js')
  await expect(code.getByTestId('code-current')).toHaveText('lib/msg.js')
  await expect(tree).toContainText('msg.js')
  await editor.click()
  await page.keyboard.insertText('module.exports = "from the new file"\n')
  await page.keyboard.press('ControlOrMeta+S')
  await expect(code.getByRole('status')).toContainText('Saved')

  // Rename it; then the handler requires it under the new name.
  await code.getByRole('button', { name: 'Rename' }).click()
  dialog = page.getByRole('dialog', { name: 'Rename lib/msg.js' })
  await dialog.getByLabel('File name').fill('lib/text.js')
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(code.getByRole('status')).toContainText('Renamed lib/msg.js to lib/text.js')
  await expect(code.getByTestId('code-current')).toHaveText('lib/text.js')
  await expect(tree).not.toContainText('msg.js')
  await expect(editor).toContainText('from the new file')
  await tree.getByRole('button', { name: 'index.js' }).click()
  await expect(code.getByTestId('code-current')).toHaveText('index.js')
  await editor.click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText('exports.main_handler = async () => require("./lib/text.js")\n')
  await page.keyboard.press('ControlOrMeta+S')
  await expect(code.getByRole('status')).toContainText('Saved')

  await page.getByRole('tab', { name: 'Test invoke' }).click()
  const invoke = page.getByRole('region', { name: 'Test invoke' })
  await invoke.getByRole('button', { name: 'Invoke' }).click()
  const result = invoke.getByTestId('invocation-result')
  await expect(result.getByTestId('invocation-status')).toHaveText('succeeded', { timeout: 30_000 })
  await expect(result).toContainText('"from the new file"')
  await expect(result.getByLabel('Run log')).toContainText('code reloaded: index.js edited online')

  // Delete asks first; Cancel keeps the file. The handler's own file is refused with the reason.
  await page.getByRole('tab', { name: 'Code' }).click()
  await tree.getByRole('button', { name: 'extra.js' }).click()
  await code.getByRole('button', { name: 'Delete' }).click()
  dialog = page.getByRole('dialog', { name: 'Delete file' })
  await expect(dialog).toContainText('Delete lib/extra.js?')
  await page.screenshot({ path: 'test-results/code-editor-delete-1440.png' })
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(tree).toContainText('extra.js')
  await code.getByRole('button', { name: 'Delete' }).click()
  await page.getByRole('dialog', { name: 'Delete file' }).getByRole('button', { name: 'Delete' }).click()
  await expect(code.getByRole('status')).toContainText('Deleted lib/extra.js')
  await expect(tree).not.toContainText('extra.js')
  await expect(code.getByTestId('code-current')).toHaveText('index.js')
  await code.getByRole('button', { name: 'Delete' }).click()
  dialog = page.getByRole('dialog', { name: 'Delete file' })
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(dialog.getByRole('alert')).toContainText('holds the handler index.main_handler')
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  // zh-CN, dark, narrower: the dialogs in Chinese.
  await page.evaluate(
    "localStorage.setItem('cos-local.theme', 'dark'); localStorage.setItem('cos-local.locale', 'zh-CN')"
  )
  await page.setViewportSize({ width: 1024, height: 800 })
  await page.reload()
  await page.getByRole('tab', { name: '云函数' }).click()
  await page
    .getByRole('navigation', { name: '云函数' })
    .getByRole('button', { name: /fileops/ })
    .click()
  const zh = page.getByRole('region', { name: '代码' })
  await expect(zh.getByTestId('code-current')).toHaveText('index.js')
  await zh.getByRole('button', { name: '新建文件' }).click()
  await page.getByRole('dialog', { name: '新建文件' }).getByLabel('文件名').fill('lib/../x.js')
  await expect(page.getByRole('dialog', { name: '新建文件' }).getByRole('alert')).toContainText('不能包含')
  await page.screenshot({ path: 'test-results/code-editor-new-file-1024-zh-dark.png' })
  await page.getByRole('dialog', { name: '新建文件' }).getByRole('button', { name: '取消' }).click()
  await zh.getByRole('button', { name: '删除' }).click()
  await expect(page.getByRole('dialog', { name: '删除文件' })).toContainText('删除 index.js？')
  await page.screenshot({ path: 'test-results/code-editor-delete-1024-zh-dark.png' })
  await page.evaluate("localStorage.removeItem('cos-local.theme'); localStorage.removeItem('cos-local.locale')")
})

test('a function opened while another tab is shown gets a working editor when its Code tab opens', async ({ page }) => {
  for (const name of ['first-fn', 'second-fn'])
    await appApi(server, 'POST', '/api/functions', {
      name,
      runtime: 'nodejs',
      code: { type: 'files', files: { 'index.js': `exports.main_handler = async () => '${name}'\n` } }
    })
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: 'Functions' }).click()
  const list = page.getByRole('navigation', { name: 'Functions' })
  await list.getByRole('button', { name: /first-fn/ }).click()
  await page.getByRole('tab', { name: 'Test invoke' }).click()
  // the second function's editor is built hidden (the Test invoke tab stays open)
  await list.getByRole('button', { name: /second-fn/ }).click()
  await expect(page.getByRole('region', { name: 'Test invoke' })).toBeVisible()
  await page.getByRole('tab', { name: 'Code' }).click()
  const editor = page.getByRole('region', { name: 'Code' }).locator('.cm-content')
  await expect(editor).toContainText("'second-fn'")
  const box = await editor.boundingBox()
  expect(box?.height ?? 0).toBeGreaterThan(100)
  await editor.click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.insertText('// typed after the tab opened\n')
  await expect(editor).toContainText('typed after the tab opened')
})
