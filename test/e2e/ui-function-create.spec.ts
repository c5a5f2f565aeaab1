import { expect, test, type Page } from '@playwright/test'
import { strToU8, zipSync } from 'fflate'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { appApi } from './ui-helpers.ts'

// The Functions tab's "New function" dialog with code from a zip or a folder: in a browser the
// page checks the pick (handler file, sizes) and uploads one zip through the app API; in the
// desktop app (a stand-in window.cosLocal here) the native folder picker gives a path that COS
// Local watches. Each new function is test-invoked and its run log read.
let server: HeadlessServer
let disk: string

test.beforeAll(async () => {
  server = await startHeadless()
  disk = mkdtempSync(join(tmpdir(), 'cos-local-fncreate-'))
  await fetch(`${server.cosEndpoint}/fncreate-1250000000`, { method: 'PUT' })
})

test.afterAll(async () => {
  await server?.stop()
  rmSync(disk, { recursive: true, force: true })
})

async function openFunctions(page: Page): Promise<void> {
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('cos-endpoint')).toHaveText(server.cosEndpoint)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: /fncreate-1250000000/ })
    .click()
  await page.getByRole('tab', { name: 'Functions' }).click()
}

async function invokeAndRead(page: Page, name: string): Promise<ReturnType<Page['getByTestId']>> {
  const fn = page.getByRole('region', { name: `Function ${name}` })
  await expect(fn).toBeVisible()
  await fn.getByRole('tab', { name: 'Test invoke' }).click()
  const invoke = fn.getByRole('region', { name: 'Test invoke' })
  await invoke.getByRole('button', { name: 'Invoke' }).click()
  const result = invoke.getByTestId('invocation-result')
  await expect(result.getByTestId('invocation-status')).toHaveText('succeeded', { timeout: 30_000 })
  return result
}

test('creates a function from a zip (a single top folder is fine), invokes it and shows its log', async ({ page }) => {
  const zip = zipSync({
    'package/index.js': strToU8(
      'const { shout } = require("./lib/shout.js")\n' +
        'exports.main_handler = async (event) => { console.log(shout("from the zip")); return { ok: true } }\n'
    ),
    'package/lib/shout.js': strToU8('exports.shout = (text) => text.toUpperCase()\n')
  })
  await openFunctions(page)
  await page.getByRole('button', { name: 'New function' }).click()
  const dialog = page.getByRole('dialog', { name: 'New function' })
  await dialog.getByLabel('Function name').fill('zipped')
  await dialog.getByRole('radio', { name: 'Zip' }).check()

  // A zip without the handler's file is refused before anything is sent.
  await dialog.getByLabel('Zip file').setInputFiles({
    name: 'wrong.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(zipSync({ 'main.js': strToU8('//') }))
  })
  await expect(dialog.getByRole('alert')).toContainText('The code has no index.js')
  await expect(dialog.getByRole('alert')).toContainText('main.js')
  await expect(dialog.getByRole('button', { name: 'Create', exact: true })).toBeDisabled()
  // Not a zip at all.
  await dialog.getByLabel('Zip file').setInputFiles({
    name: 'notes.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('plain text')
  })
  await expect(dialog.getByRole('alert')).toContainText('Cannot read notes.zip as a zip')

  await dialog.getByLabel('Zip file').setInputFiles({
    name: 'function.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(zip)
  })
  await expect(dialog.getByRole('status')).toContainText('function.zip')
  await expect(dialog.getByRole('status')).toContainText('Node.js')
  await page.screenshot({ path: 'test-results/function-create-zip-1440.png' })
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toHaveCount(0)

  const result = await invokeAndRead(page, 'zipped')
  await expect(result).toContainText('{"ok":true}')
  await expect(result.getByLabel('Run log')).toContainText('FROM THE ZIP')
})

test('creates a Python function from a folder picked in the browser, invokes it and shows its log', async ({
  page
}) => {
  const folder = join(disk, 'py-thumbs')
  mkdirSync(join(folder, 'helpers'), { recursive: true })
  mkdirSync(join(folder, '.git'), { recursive: true })
  writeFileSync(
    join(folder, 'index.py'),
    'from helpers.words import greet\n\ndef main_handler(event, context):\n    print(greet("folder"))\n    return "py ok"\n'
  )
  writeFileSync(join(folder, 'helpers', '__init__.py'), '')
  writeFileSync(join(folder, 'helpers', 'words.py'), 'def greet(name):\n    return "hello from the " + name\n')
  writeFileSync(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main\n')

  await openFunctions(page)
  await page.getByRole('button', { name: 'New function' }).click()
  const dialog = page.getByRole('dialog', { name: 'New function' })
  await dialog.getByLabel('Function name').fill('py-folder')
  await dialog.getByRole('radio', { name: 'Folder' }).check()
  await dialog.getByLabel('Code folder').setInputFiles(folder)
  // .git is left out; the runtime is detected from index.py.
  await expect(dialog.getByRole('status')).toContainText('3 files')
  await expect(dialog.getByRole('status')).toContainText('Python 3')
  await page.screenshot({ path: 'test-results/function-create-folder-1440.png' })
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toHaveCount(0)

  const fn = page.getByRole('region', { name: 'Function py-folder' })
  await expect(fn).toContainText('python3')
  await expect(fn.getByRole('navigation', { name: 'Code files' })).toContainText('words.py')
  const result = await invokeAndRead(page, 'py-folder')
  await expect(result).toContainText('py ok')
  await expect(result.getByLabel('Run log')).toContainText('hello from the folder')
})

test('in the desktop app the native folder picker creates a watched function that hot-reloads', async ({ page }) => {
  const folder = join(disk, 'native')
  mkdirSync(folder, { recursive: true })
  const handler = (answer: string): string =>
    `exports.main_handler = async () => { console.log("running ${answer}"); return "${answer}" }\n`
  writeFileSync(join(folder, 'index.js'), handler('first'))
  // A stand-in for the preload's bridge (preload/contract/desktop.ts): pickFolder answers our path.
  await page.addInitScript(`{
    window.cosLocal = Object.freeze({
      apiUrl: location.origin,
      token: new URLSearchParams(location.search).get('token') || '',
      platform: 'linux',
      pickFiles: () => Promise.resolve([]),
      pickFolder: () => Promise.resolve(${JSON.stringify(folder)}),
      pathForFile: () => '',
      reveal: () => Promise.resolve(),
      openDataFolder: () => Promise.resolve(),
      startDrag: () => {},
      openExternal: () => Promise.resolve(true),
      onMenuCommand: () => () => {},
      setLanguage: () => {}
    })
  }`)
  await openFunctions(page)
  await page.getByRole('button', { name: 'New function' }).click()
  const dialog = page.getByRole('dialog', { name: 'New function' })
  await dialog.getByLabel('Function name').fill('watched')
  await dialog.getByRole('radio', { name: 'Folder' }).check()
  await expect(dialog.getByLabel('Code folder')).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Choose folder…' }).click()
  await expect(dialog.getByTestId('native-folder')).toHaveText(folder)
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toHaveCount(0)

  const fn = page.getByRole('region', { name: 'Function watched' })
  await expect(fn.getByTestId('watched-folder')).toContainText(folder)
  let result = await invokeAndRead(page, 'watched')
  await expect(result.getByLabel('Run log')).toContainText('running first')

  // Saved outside the app: the watcher reloads the function and the next invocation runs it.
  writeFileSync(join(folder, 'index.js'), handler('second'))
  await expect(async () => {
    result = await invokeAndRead(page, 'watched')
    await expect(result.getByLabel('Run log')).toContainText('running second', { timeout: 1000 })
  }).toPass({ timeout: 30_000 })
  await expect(result.getByLabel('Run log')).toContainText('code reloaded from')
})

test('a failing test invoke shows the error, and its stack trace a frame per line in the run log', async ({ page }) => {
  await appApi(server, 'POST', '/api/functions', {
    name: 'thrower',
    code: {
      type: 'files',
      files: { 'index.js': "exports.main_handler = async () => { throw new Error('bad input') }" }
    }
  })
  await openFunctions(page)
  await page.getByRole('listitem').filter({ hasText: 'thrower' }).first().click()
  const fn = page.getByRole('region', { name: 'Function thrower' })
  await fn.getByRole('tab', { name: 'Test invoke' }).click()
  const invoke = fn.getByRole('region', { name: 'Test invoke' })
  await invoke.getByRole('button', { name: 'Invoke' }).click()
  const result = invoke.getByTestId('invocation-result')
  await expect(result.getByTestId('invocation-status')).toHaveText('failed', { timeout: 30_000 })
  await expect(result.getByText('{"errorCode":1,"errorMessage":"bad input"}', { exact: true })).toBeVisible()
  const log = await result.getByLabel('Run log').textContent()
  expect(log).toMatch(
    /Result:\{"errorCode":1,"errorMessage":"bad input"\}\n {2}Error: bad input\n\s+at exports\.main_handler /
  )
  expect(log).not.toContain('\\n')
})

test('the dialog in zh-CN and dark (screenshots)', async ({ page }) => {
  await page.addInitScript(
    `localStorage.setItem('cos-local.locale', 'zh-CN'); localStorage.setItem('cos-local.theme', 'dark')`
  )
  await page.setViewportSize({ width: 1024, height: 800 })
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: '云函数' }).click()
  await page.getByRole('button', { name: '新建函数' }).click()
  const dialog = page.getByRole('dialog', { name: '新建函数' })
  await dialog.getByRole('radio', { name: '文件夹' }).check()
  await dialog.getByLabel('代码文件夹').setInputFiles(join(disk, 'py-thumbs'))
  await expect(dialog.getByRole('status')).toContainText('Python 3')
  await page.screenshot({ path: 'test-results/function-create-folder-1024-zh-dark.png' })
  await dialog.getByRole('radio', { name: 'ZIP 包' }).check()
  await dialog.getByLabel('ZIP 文件').setInputFiles({
    name: 'wrong.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(zipSync({ 'main.py': strToU8('#') }))
  })
  await expect(dialog.getByRole('alert')).toContainText('代码中没有')
  await page.screenshot({ path: 'test-results/function-create-zip-1024-zh-dark.png' })
  await page.evaluate(`localStorage.setItem('cos-local.theme', 'light')`)
})
