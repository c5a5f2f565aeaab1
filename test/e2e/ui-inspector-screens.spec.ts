import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { appApi } from './ui-helpers.ts'

// Screenshots of the inspector's views (events + inspector, timeline, logs, functions) at 1440
// and 1024 wide, light and dark, English and Chinese, kept under test-results/screenshots/;
// with the New function dialog (a folder picked) and the code editor's New file dialog.
let server: HeadlessServer
let folder: string
const BUCKET = 'photos-1250000000'

test.beforeAll(async () => {
  folder = join(mkdtempSync(join(tmpdir(), 'cos-local-screens-')), 'thumbnailer')
  mkdirSync(join(folder, 'lib'), { recursive: true })
  writeFileSync(join(folder, 'index.js'), 'exports.main_handler = async () => require("./lib/size.js")\n')
  writeFileSync(join(folder, 'lib', 'size.js'), 'module.exports = 128\n')
  server = await startHeadless(['--clock-speed', '600'])
  await fetch(`${server.cosEndpoint}/${BUCKET}`, { method: 'PUT' })
  await appApi(server, 'POST', '/api/functions', {
    name: 'printer',
    code: { type: 'template', template: 'nodejs-print-event' }
  })
  await appApi(server, 'POST', '/api/functions', {
    name: 'resizer',
    runtime: 'nodejs',
    code: {
      type: 'files',
      files: { 'index.js': "exports.main_handler = async () => { throw new Error('cannot decode image') }" }
    }
  })
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'printer',
    bucket: BUCKET,
    event: 'cos:ObjectCreated:*',
    prefix: 'img/'
  })
  await fetch(`${server.cosEndpoint}/uploads-1250000000`, { method: 'PUT' })
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'resizer',
    bucket: 'uploads-1250000000',
    event: 'cos:ObjectCreated:*',
    suffix: '.png'
  })
  for (const key of ['img/cat.jpg', 'img/dog.jpg', 'docs/readme.txt', 'notes/todo.md'])
    await fetch(`${server.cosEndpoint}/${BUCKET}/${key}`, { method: 'PUT', body: `content of ${key}` })
  await fetch(`${server.cosEndpoint}/uploads-1250000000/uploads/broken.png`, { method: 'PUT', body: 'not a png' })
  // let the dead letter happen (3 attempts on the sped-up clock)
  await new Promise((resolve) => setTimeout(resolve, 3000))
})

test.afterAll(async () => {
  await server?.stop()
  rmSync(join(folder, '..'), { recursive: true, force: true })
})

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300)
  await page.screenshot({ path: `test-results/screenshots/inspector-${name}.png` })
}

for (const width of [1440, 1024]) {
  for (const scheme of ['light', 'dark'] as const) {
    for (const lang of ['en', 'zh-CN']) {
      test(`screens ${width} ${scheme} ${lang}`, async ({ page }) => {
        await page.setViewportSize({ width, height: 900 })
        await page.emulateMedia({ colorScheme: scheme })
        await page.addInitScript(`localStorage.setItem('cos-local.locale', '${lang}')`)
        await page.goto(server.uiUrl)
        const tag = `${width}-${scheme}-${lang}`
        await page.getByRole('tab', { name: /Events|事件/ }).click()
        await page.getByRole('button', { name: /Full height|全屏/ }).click()
        const row = page.getByTestId('event-row').filter({ hasText: 'uploads/broken.png' })
        await expect(row).toContainText(/dead-lettered|死信/, { timeout: 30_000 })
        await row.click()
        await expect(page.getByTestId('event-json')).toContainText('cosSchemaVersion')
        await shoot(page, `events-${tag}`)
        await page
          .getByTestId('event-inspector')
          .getByRole('button', { name: /Timeline|时间线/ })
          .first()
          .click()
        await expect(page.locator('[data-kind="dead-letter"]')).toBeVisible()
        await shoot(page, `timeline-${tag}`)
        await page.getByRole('tab', { name: /Logs|日志/ }).click()
        await expect(page.getByTestId('terminal')).toContainText('Report RequestId')
        await shoot(page, `logs-${tag}`)
        await page.getByRole('button', { name: /Restore|还原/ }).click()
        await page.getByRole('tab', { name: /^(Functions|云函数)$/ }).click()
        await page
          .getByRole('navigation', { name: /Functions|云函数/ })
          .getByRole('button', { name: /resizer/ })
          .click()
        await shoot(page, `functions-${tag}`)
        await page.getByRole('tab', { name: /COS triggers|COS 触发器/ }).click()
        await expect(page.getByTestId('trigger')).toHaveCount(1)
        await shoot(page, `functions-triggers-${tag}`)
        await page.getByRole('tab', { name: /Test invoke|测试调用/ }).click()
        // a failed test invoke: the Result without its trace, the trace a frame per line in the run log
        const invoke = page.getByRole('region', { name: /Test invoke|测试调用/ })
        await invoke.getByRole('button', { name: /^(Invoke|调用)$/ }).click()
        const result = invoke.getByTestId('invocation-result')
        await expect(result.getByTestId('invocation-status')).toHaveText(/failed|失败/, { timeout: 30_000 })
        await result.scrollIntoViewIfNeeded()
        await shoot(page, `functions-invoke-${tag}`)

        await page.getByRole('button', { name: /New function|新建函数/ }).click()
        const dialog = page.getByRole('dialog')
        await dialog.getByRole('textbox').first().fill('thumbnailer')
        await dialog.getByRole('radio', { name: /Folder|文件夹/ }).check()
        await dialog.locator('input[type=file]').setInputFiles(folder)
        await expect(dialog.getByRole('status')).toContainText('Node.js')
        await shoot(page, `new-function-${tag}`)
        await dialog.getByRole('button', { name: /Cancel|取消/ }).click()

        await page.getByRole('tab', { name: /^(Code|代码)$/ }).click()
        await page.getByRole('button', { name: /^(New file|新建文件)$/ }).click()
        await page.getByRole('dialog').getByRole('textbox').fill('lib/../escape.js')
        await expect(page.getByRole('dialog').getByRole('alert')).toBeVisible()
        await shoot(page, `new-file-${tag}`)
        await page
          .getByRole('dialog')
          .getByRole('button', { name: /Cancel|取消/ })
          .click()
      })
    }
  }
}
