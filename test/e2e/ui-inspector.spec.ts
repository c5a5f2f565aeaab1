import { expect, test, type Page } from '@playwright/test'
import { startHeadless, type HeadlessServer } from './headless-server.ts'
import { appApi } from './ui-helpers.ts'

// The event inspector, timeline, replay/redrive, fault injection and per-invocation logs,
// against the real headless product with a sped-up clock (1 emulated minute = 0.1 s).
let server: HeadlessServer
const BUCKET = 'inspect-1250000000'

test.beforeAll(async () => {
  server = await startHeadless(['--clock-speed', '600'])
  await fetch(`${server.cosEndpoint}/${BUCKET}`, { method: 'PUT' })
})

test.afterAll(async () => {
  await server?.stop()
})

async function createFunction(name: string, code: string, timeout?: number): Promise<void> {
  await appApi(server, 'POST', '/api/functions', {
    name,
    runtime: 'nodejs',
    replace: true,
    timeout,
    code: { type: 'files', files: { 'index.js': code } }
  })
}

/**
 * Holds the real server's answers to requests matching `url`: each is read from the server at
 * once and handed to the page only after `release()`. `read` settles, the first time, with what
 * `inspect` found in an answer as the server read it.
 */
async function holdAnswers<T>(
  page: Page,
  url: string,
  inspect: (body: T) => string | undefined
): Promise<{ read: Promise<string | undefined>; release: () => void }> {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let found!: (value: string | undefined) => void
  const read = new Promise<string | undefined>((resolve) => (found = resolve))
  await page.route(url, async (route) => {
    const response = await route.fetch()
    const body = (await response.json()) as T
    found(inspect(body))
    await released
    await route.fulfill({ response, json: body })
  })
  return { read, release }
}

/**
 * The function most tests use: a printer of its events, triggered by creates and removes under
 * img/. Made by the first test that needs it; a later test run on its own (or after a failure,
 * on a new server) makes it too.
 */
async function ensurePrinter(): Promise<void> {
  const { functions } = await appApi<{ functions: { name: string }[] }>(server, 'GET', '/api/functions')
  if (functions.some((fn) => fn.name === 'printer')) return
  await appApi(server, 'POST', '/api/functions', {
    name: 'printer',
    code: { type: 'template', template: 'nodejs-print-event' }
  })
  for (const event of ['cos:ObjectCreated:*', 'cos:ObjectRemove:*'])
    await appApi(server, 'POST', '/api/triggers', { functionName: 'printer', bucket: BUCKET, event, prefix: 'img/' })
}

async function put(key: string, body = 'hello'): Promise<void> {
  const response = await fetch(`${server.cosEndpoint}/${BUCKET}/${key}`, { method: 'PUT', body })
  expect(response.status).toBe(200)
}

async function openEvents(page: Page): Promise<void> {
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: /Events/ }).click()
}

test('an upload opened in the inspector shows the delivered JSON, the request and the named triggers; reload keeps it', async ({
  page
}) => {
  await ensurePrinter()
  for (let i = 0; i < 5; i++) await put(`misc/unmatched-${i}.txt`)
  await put('img/cat.jpg')
  await openEvents(page)

  const row = page.getByTestId('event-row').filter({ hasText: 'img/cat.jpg' })
  await expect(row).toContainText('succeeded', { timeout: 30_000 })
  // unmatched events are hidden by default, and counted
  await expect(page.getByTestId('event-row').filter({ hasText: 'unmatched-' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: /5 unmatched hidden/ })).toBeVisible()

  await row.click()
  const inspector = page.getByTestId('event-inspector')
  const json = inspector.getByTestId('event-json')
  await expect(json).toContainText('"cosSchemaVersion": "1.0"')
  await expect(json).toContainText('/1250000000/inspect/img/cat.jpg')
  await expect(inspector).toContainText(`PUT /${BUCKET}/img/cat.jpg`)
  await expect(inspector).toContainText('x-cos-request-id')
  // two triggers of the same function: each verdict names its trigger and rule
  const verdicts = inspector.getByTestId('trigger-verdict')
  await expect(verdicts).toHaveCount(2)
  await expect(verdicts.filter({ hasText: '✓ matched' })).toContainText('ObjectCreated:*')
  await expect(verdicts.filter({ hasText: '✗ not matched' })).toContainText('ObjectRemove:*')
  await expect(inspector.getByTestId('delivery')).toContainText('succeeded')
  // The request's time and the attempt's start read on one clock, in one format (ISO in the title).
  const requestTime = inspector.getByTestId('request-time')
  const attemptStart = inspector.getByTestId('attempt-start').first()
  await expect(requestTime).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/)
  await expect(attemptStart).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/)
  const requestIso = Date.parse((await requestTime.getAttribute('title'))!)
  const attemptIso = Date.parse((await attemptStart.getAttribute('title'))!)
  expect(attemptIso).toBeGreaterThanOrEqual(requestIso)
  // At --clock-speed 600 a delivery starts within emulated minutes of the request, not hours.
  expect(attemptIso - requestIso).toBeLessThan(60 * 60_000)

  await page.reload()
  await page.getByRole('tab', { name: /Events/ }).click()
  await expect(page.getByTestId('event-row').filter({ hasText: 'img/cat.jpg' })).toContainText('succeeded')
  await page.getByRole('button', { name: /unmatched hidden/ }).click()
  await expect(page.getByTestId('event-row').filter({ hasText: 'unmatched-' })).toHaveCount(5)
})

test('a throwing function retries, dead-letters on the timeline, and a redrive succeeds after the fix', async ({
  page
}) => {
  await createFunction('flaky', "exports.main_handler = async () => { throw new Error('boom') }")
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'flaky',
    bucket: BUCKET,
    event: 'cos:ObjectCreated:*',
    prefix: 'bad/'
  })
  await put('bad/doc.txt')
  await openEvents(page)
  const row = page.getByTestId('event-row').filter({ hasText: 'bad/doc.txt' })
  await expect(row).toContainText('dead-lettered', { timeout: 30_000 })
  await expect(row).toContainText('boom')

  await row.click()
  // each failed attempt: the Result without its trace, and the trace a frame per line
  const attemptStacks = page.getByTestId('event-inspector').getByTestId('attempt-stack')
  await expect(attemptStacks).toHaveCount(3)
  await expect(attemptStacks.first()).toContainText(/^Error: boom\n\s+at exports\.main_handler /)
  await page.getByTestId('event-inspector').getByRole('button', { name: 'Timeline', exact: true }).first().click()
  const timeline = page.getByTestId('timeline')
  await expect(timeline.locator('[data-kind="attempt"]')).toHaveCount(3)
  await expect(timeline.locator('[data-kind="retry"]').first()).toBeVisible()
  await expect(timeline.locator('[data-kind="dead-letter"]')).toContainText('Dead letter')
  await expect(timeline.locator('[data-kind="request"]')).toContainText(`PUT /${BUCKET}/bad/doc.txt`)
  // an attempt names its error without the trace; the attempt's ERROR log line shows the trace a frame per line
  await expect(timeline.locator('[data-kind="attempt"]').first()).toContainText('{"errorCode":1,"errorMessage":"boom"}')
  await expect(timeline.locator('[data-kind="attempt"]').first()).not.toContainText('stackTrace')
  const errorLine = timeline.locator('[data-kind="log"]', { hasText: 'ERROR RequestId' }).first()
  expect(await errorLine.innerText()).toMatch(/\n\s*Error: boom\n\s+at exports\.main_handler /)

  // the log pane shows each attempt's stack trace under its ERROR line, a frame per row
  await page.setViewportSize({ width: 1440, height: 1400 })
  await page.getByRole('tab', { name: /Logs/ }).click()
  await page.getByRole('button', { name: 'Full height' }).click()
  await page.getByLabel('Function', { exact: true }).selectOption('flaky')
  const rows = page.locator('[data-testid="terminal"] .xterm-rows > div')
  const boomRows = async (): Promise<number> =>
    (await rows.allTextContents()).filter((row) => /^\s+Error: boom\s*$/.test(row)).length
  await expect.poll(boomRows, { timeout: 30_000 }).toBe(3)
  const text = (await rows.allTextContents()).join('\n')
  expect(text).toMatch(/\n\s+at exports\.main_handler /)
  expect(text).toContain('Result:{"errorCode":1,"errorMessage":"boom"')
  // each attempt once: the lines pushed while the page was open are also in the stored tail the tab loads
  expect(text.match(/START RequestId/g)).toHaveLength(3)
  await page.getByRole('button', { name: 'Restore' }).click()

  await createFunction('flaky', "exports.main_handler = async () => 'fixed'")
  await page.getByRole('tab', { name: /Events/ }).click()
  await page.getByTestId('event-row').filter({ hasText: 'bad/doc.txt' }).click()
  const inspector = page.getByTestId('event-inspector')
  await inspector.getByRole('button', { name: 'Redrive' }).click()
  await expect(inspector.getByRole('status')).toContainText('Redriven')
  await expect(page.getByTestId('event-row').filter({ hasText: 'bad/doc.txt' })).toContainText('succeeded', {
    timeout: 30_000
  })
  await expect(inspector.getByTestId('delivery')).toHaveCount(2)
  await expect(inspector.getByTestId('delivery').last()).toContainText('redrive of')
})

test('an unmatched event replays to a chosen function', async ({ page }) => {
  await ensurePrinter()
  await put('misc/replay-me.txt')
  await openEvents(page)
  await page.getByLabel('Search key or request id').fill('replay-me')
  await page.getByRole('button', { name: /unmatched hidden/ }).click()
  const row = page.getByTestId('event-row').filter({ hasText: 'replay-me.txt' })
  await expect(row).toContainText('no trigger matched')
  await row.click()
  const inspector = page.getByTestId('event-inspector')
  await inspector.getByLabel('Replay to').selectOption('printer')
  await inspector.getByRole('button', { name: 'Replay', exact: true }).click()
  await expect(inspector.getByRole('status')).toContainText('Replayed to printer')
  await expect(row).toContainText('succeeded', { timeout: 30_000 })
  await expect(inspector.getByTestId('delivery')).toContainText('replay')
})

test('a history page read while a delivery ran, answered after it finished, does not turn it back to in flight', async ({
  page
}) => {
  await createFunction('sleeper', "exports.main_handler = () => new Promise((r) => setTimeout(r, 2000, 'slept'))", 30)
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'sleeper',
    bucket: BUCKET,
    event: 'cos:ObjectCreated:*',
    prefix: 'slow/'
  })
  await openEvents(page)
  await put('slow/early.txt')
  await put('slow/late.txt')
  const late = page.getByTestId('event-row').filter({ hasText: 'slow/late.txt' })
  await expect(late).toContainText('in flight')

  // The search's page is read at once (the delivery still running) and handed to the page
  // only once the live update saying the delivery finished has been shown.
  const held = await holdAnswers<{ events: { key: string; status: string }[] }>(
    page,
    '**/api/events?*',
    (body) => body.events.find((event) => event.key === 'slow/late.txt')?.status
  )
  await page.getByLabel('Search key or request id').fill('late')
  expect(await held.read).toBe('in-flight')
  await expect(late).toContainText('succeeded', { timeout: 30_000 })
  held.release()
  // the page is in (the search hides the other row), and the row still says what the push said
  await expect(page.getByTestId('event-row').filter({ hasText: 'slow/early.txt' })).toHaveCount(0)
  await expect(late).toContainText('succeeded')
  await page.unrouteAll({ behavior: 'ignoreErrors' })
})

test('a function’s invocation list read while one ran, answered after it finished, keeps it finished', async ({
  page
}) => {
  for (const name of ['napper', 'idler'])
    await createFunction(name, "exports.main_handler = () => new Promise((r) => setTimeout(r, 2000, 'ok'))", 30)
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'napper',
    bucket: BUCKET,
    event: 'cos:ObjectCreated:*',
    prefix: 'nap/'
  })
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: 'Functions' }).click()
  const nav = page.getByRole('navigation', { name: 'Functions' })
  await nav.getByRole('button', { name: /^napper/ }).click()
  const rows = page.getByTestId('invocation-row')
  await put('nap/first')
  await expect(rows.filter({ hasText: 'nap/first' })).toContainText('succeeded', { timeout: 30_000 })
  await put('nap/second')
  const second = rows.filter({ hasText: 'nap/second' })
  await expect(second).toContainText('running')

  // Away and back: napper's list is read at once (nap/second still running) and handed to the
  // page only once the push saying it succeeded has been shown.
  await nav.getByRole('button', { name: /^idler/ }).click()
  await expect(rows).toHaveCount(0)
  const held = await holdAnswers<{ invocations: { key: string | null; status: string }[] }>(
    page,
    '**/api/invocations?*',
    (body) => body.invocations.find((item) => item.key === 'nap/second')?.status
  )
  await nav.getByRole('button', { name: /^napper/ }).click()
  await expect(second).toContainText('succeeded', { timeout: 30_000 })
  expect(await held.read).toBe('running')
  held.release()
  // the list is in (nap/first is back), and nap/second still says what the push said
  await expect(rows).toHaveCount(2)
  await expect(second).toContainText('succeeded')
  await page.unrouteAll({ behavior: 'ignoreErrors' })
})

test('fault injection makes the next attempts fail and time out, marked in the timeline', async ({ page }) => {
  await ensurePrinter()
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: 'Functions' }).click()
  await page
    .getByRole('navigation', { name: 'Functions' })
    .getByRole('button', { name: /printer/ })
    .click()
  await page.getByRole('tab', { name: 'Faults and debugging' }).click()
  const faults = page.getByRole('region', { name: 'Fault injection' })
  await faults.getByLabel('Fail next').fill('1')
  await faults.getByLabel('Time out next').fill('1')
  await faults.getByRole('button', { name: 'Apply' }).click()
  await expect(faults.getByTestId('fault-active')).toContainText('fail next 1, time out next 1')
  await put('img/faulty.jpg')
  await page.getByRole('tab', { name: /Events/ }).click()
  const row = page.getByTestId('event-row').filter({ hasText: 'img/faulty.jpg' })
  await expect(row).toContainText('succeeded', { timeout: 30_000 })
  await row.click()
  await page.getByTestId('delivery').getByRole('button', { name: 'Timeline' }).click()
  const timeline = page.getByTestId('timeline')
  await expect(timeline.locator('[data-kind="attempt"]')).toHaveCount(3)
  await expect(timeline.locator('.injected')).toHaveCount(2)
  await expect(timeline).toContainText('Attempt 1: timeout (injected)')
  await expect(timeline).toContainText('Attempt 2: error (injected)')
  await expect(timeline).toContainText('Attempt 3: succeeded')
})

test('two concurrent invocations read separately in the log, and 100 MB of output keeps the Report line', async ({
  page
}) => {
  await createFunction(
    'chatty',
    `exports.main_handler = async (event) => {
      const key = event.Records[0].cos.cosObject.key.split('/').pop()
      for (let i = 0; i < 20; i++) { console.log(key + ' line ' + i); await new Promise((r) => setTimeout(r, 10)) }
      return key
    }`
  )
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'chatty',
    bucket: BUCKET,
    event: 'cos:ObjectCreated:*',
    prefix: 'chat/'
  })
  await page.setViewportSize({ width: 1440, height: 1400 })
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: /Logs/ }).click()
  await page.getByRole('button', { name: 'Full height' }).click()
  await Promise.all([put('chat/aaa'), put('chat/bbb')])
  const terminal = page.getByTestId('terminal')
  await page.getByLabel('Function', { exact: true }).selectOption('chatty')
  await expect(terminal).toContainText('Report RequestId', { timeout: 30_000 })
  // each block runs START … Report with only its own lines in between
  await expect
    .poll(
      async () => {
        const text = (await page.locator('[data-testid="terminal"] .xterm-rows > div').allTextContents()).join('\n')
        return blocksInterleave(text)
      },
      { timeout: 30_000 }
    )
    .toBe('separate')

  await createFunction(
    'flood',
    `exports.main_handler = async () => {
      const chunk = 'x'.repeat(1024 * 1024 - 1) + '\\n'
      for (let i = 0; i < 100; i++) process.stdout.write(chunk)
      return 'done'
    }`
  )
  await appApi(server, 'POST', '/api/triggers', {
    functionName: 'flood',
    bucket: BUCKET,
    event: 'cos:ObjectCreated:*',
    prefix: 'flood/'
  })
  await put('flood/go')
  await page.getByLabel('Function', { exact: true }).selectOption('flood')
  await expect(terminal).toContainText('Report RequestId', { timeout: 60_000 })
  await expect(terminal).toContainText('END RequestId')
  await expect(terminal).toContainText('Response RequestId')
})

/** 'separate' when every START…Report run in the visible text holds one request id only. */
function blocksInterleave(text: string): string {
  const lines = text.split('\n').filter((line) => line.includes('[chatty]'))
  if (lines.filter((line) => line.includes('Report RequestId')).length < 2) return 'waiting'
  let current = ''
  for (const line of lines) {
    const start = /START RequestId:(\S+)/.exec(line)
    if (start) {
      current = start[1]!
      continue
    }
    const key = /(aaa|bbb) line/.exec(line)?.[1]
    if (key && current && !line.includes(key)) return 'interleaved'
  }
  return 'separate'
}
