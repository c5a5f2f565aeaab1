import { expect, test, type Page } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { appApi, printEventFunction } from './ui-helpers.ts'

// Functions in the UI: live matched events and streamed run logs in the terminal for an
// upload made through the UI, and the Functions tab (create, trigger, test invoke, explain).
let server: HeadlessServer

test.beforeAll(async () => {
  server = await startHeadless()
})

test.afterAll(async () => {
  await server?.stop()
})

async function openBucket(page: Page, bucket: string): Promise<void> {
  await page.goto(server.uiUrl)
  await page
    .getByRole('navigation', { name: 'Buckets' })
    .getByRole('button', { name: new RegExp(bucket) })
    .click()
}

test('an upload from the UI shows the matched event and streams the function log to the terminal', async ({ page }) => {
  await fetch(`${server.cosEndpoint}/events-1250000000`, { method: 'PUT' })
  await printEventFunction(server, 'printer', { bucket: 'events-1250000000', suffix: '.txt' })
  await openBucket(page, 'events-1250000000')
  await page.getByTestId('upload-files').setInputFiles({
    name: 'report.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('quarterly numbers')
  })

  // the tabs mark what arrived while they were closed, until they are opened
  const eventsTab = page.getByRole('tab', { name: /Events/ })
  await expect(eventsTab).toHaveAccessibleName(/new events/)
  await eventsTab.click()
  await expect(eventsTab).not.toHaveAccessibleName(/new events/)
  const row = page.getByTestId('event-row').filter({ hasText: 'printer' })
  await expect(row).toContainText('ObjectCreated:Put')
  await expect(row).toContainText('events-1250000000/report.txt')
  await expect(row).toContainText('succeeded', { timeout: 30_000 })

  const logsTab = page.getByRole('tab', { name: /Logs/ })
  await expect(logsTab).toHaveAccessibleName(/new log lines/)
  await logsTab.click()
  await expect(logsTab).not.toHaveAccessibleName(/new log lines/)
  // xterm renders only the rows in view: the end of the run log first, then scroll to its start.
  const terminal = page.getByTestId('terminal')
  await expect(terminal).toContainText('[printer] Report RequestId')
  await expect(terminal).toContainText('Response RequestId')
  await page.getByRole('button', { name: 'Top', exact: true }).click()
  await expect(terminal).toContainText('[printer] START RequestId')
  await expect(terminal).toContainText('Received event:')

  // beside the terminal, the runs: choosing one filters the log to its request id, again shows all
  const run = page.getByRole('navigation', { name: 'Runs' }).getByTestId('run').filter({ hasText: 'printer' })
  await expect(run).toContainText('report.txt')
  await expect(run).toContainText('succeeded')
  await run.click()
  await expect(run).toHaveAttribute('aria-pressed', 'true')
  const requestId = page.getByLabel('Request id')
  await expect(requestId).toHaveValue(/^[0-9a-f-]{36}$/)
  await expect(terminal).toContainText(`[printer] Report RequestId:${await requestId.inputValue()}`)
  await run.click()
  await expect(requestId).toHaveValue('')
})

test('the Functions tab creates a function, adds and toggles a trigger, test-invokes and explains', async ({
  page
}) => {
  await fetch(`${server.cosEndpoint}/fntab-1250000000`, { method: 'PUT' })
  await openBucket(page, 'fntab-1250000000')
  await page.getByRole('tab', { name: 'Functions' }).click()

  await page.getByRole('button', { name: 'New function' }).click()
  const dialog = page.getByRole('dialog', { name: 'New function' })
  await dialog.getByLabel('Function name').fill('py_printer')
  await dialog.getByRole('combobox', { name: 'Template' }).selectOption('python-print-event')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  const fn = page.getByRole('region', { name: 'Function py_printer' })
  await expect(fn).toContainText('python3')

  // The detail's tabs, as in the SCF console: the trigger tab counts the function's triggers.
  const triggersTab = fn.getByRole('tab', { name: /COS triggers/ })
  await expect(triggersTab).toHaveText('COS triggers (0)')
  const listed = page
    .getByRole('navigation', { name: 'Functions' })
    .getByRole('listitem')
    .filter({ hasText: 'py_printer' })
    .getByTestId('function-buckets')
  await expect(listed).toHaveText('no COS trigger')
  await triggersTab.click()
  const form = page.getByRole('form', { name: 'Add trigger' })
  await form.getByLabel('Bucket').fill('fntab-1250000000')
  await form.getByLabel('Event').selectOption('cos:ObjectRemove:*')
  await form.getByLabel('Prefix').fill('logs/')
  await form.getByRole('button', { name: 'Add trigger' }).click()
  const trigger = page.getByTestId('trigger')
  await expect(trigger).toContainText('cos:ObjectRemove:*')
  await expect(trigger).toContainText('logs/')
  await expect(triggersTab).toHaveText('COS triggers (1)')
  await expect(listed).toHaveText('⚡ fntab-1250000000')
  const enabled = trigger.getByRole('checkbox', { name: /Enabled/ })
  await expect(enabled).toBeChecked()
  await enabled.uncheck()
  await expect(enabled).not.toBeChecked()
  const triggers = (await appApi(server, 'GET', '/api/triggers?function=py_printer')) as {
    triggers: { enabled: boolean }[]
  }
  expect(triggers.triggers.map((item) => item.enabled)).toEqual([false])

  // A rule that overlaps another function's rule on the bucket is refused with the core's reason.
  await appApi(server, 'POST', '/api/functions', {
    name: 'blocker',
    runtime: 'nodejs',
    code: { type: 'template', template: 'nodejs-print-event' }
  })
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'blocker',
    bucket: 'fntab-1250000000',
    event: 'cos:ObjectCreated:*',
    prefix: 'img/'
  })
  await form.getByLabel('Event').selectOption('cos:ObjectCreated:Put')
  await form.getByLabel('Prefix').fill('img/')
  await form.getByRole('button', { name: 'Add trigger' }).click()
  await expect(page.getByRole('alert').filter({ hasText: /NotifyRule\w*Conflict/ })).toBeVisible()
  await expect(page.getByTestId('trigger')).toHaveCount(1)

  await fn.getByRole('tab', { name: 'Test invoke' }).click()
  await expect(form).toBeHidden()
  const invoke = page.getByRole('region', { name: 'Test invoke' })
  await invoke.getByLabel('COS test template').selectOption('cos:ObjectCreated:Put')
  await invoke.getByLabel('Key').fill('photos/cat.jpg')
  await invoke.getByRole('button', { name: 'Load template' }).click()
  const eventJson = invoke.getByLabel(/Event JSON/)
  await expect(eventJson).toHaveValue(/photos\/cat\.jpg/)
  await invoke.getByRole('button', { name: 'Invoke' }).click()
  const result = invoke.getByTestId('invocation-result')
  await expect(result.getByTestId('invocation-status')).toHaveText('succeeded', { timeout: 30_000 })
  await expect(result.getByLabel('Run log')).toContainText('Received event:')
  await expect(result.getByLabel('Run log')).toContainText('cat.jpg')
  // a look at another tab keeps the test event and its result (the panels stay mounted)
  await fn.getByRole('tab', { name: 'Code' }).click()
  await expect(invoke).toBeHidden()
  await fn.getByRole('tab', { name: 'Test invoke' }).click()
  await expect(eventJson).toHaveValue(/photos\/cat\.jpg/)
  await expect(result.getByLabel('Run log')).toContainText('cat.jpg')

  // Broken JSON is caught before it is sent.
  await eventJson.fill('{ not json')
  await invoke.getByRole('button', { name: 'Invoke' }).click()
  await expect(invoke.getByRole('alert')).toContainText('not valid JSON')
  // the previous result does not stay on screen under the error
  await expect(invoke.getByTestId('invocation-result')).toHaveCount(0)

  await triggersTab.click()
  const explain = page.getByRole('region', { name: 'Explain trigger matching' })
  await explain.getByLabel('Bucket').fill('fntab-1250000000')
  await explain.getByLabel('Key').fill('other/file.txt')
  await explain.getByRole('button', { name: 'Explain' }).click()
  await expect(explain.getByTestId('explain-result')).toContainText('not matched')

  await trigger.getByRole('button', { name: /Delete trigger/ }).click()
  await page
    .getByRole('dialog', { name: 'Delete trigger' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click()
  await expect(page.getByTestId('trigger')).toHaveCount(0)
  await page.getByRole('button', { name: 'Delete function' }).click()
  await page
    .getByRole('dialog', { name: 'Delete function' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click()
  await expect(page.getByRole('navigation', { name: 'Functions' })).not.toContainText('py_printer')
})
