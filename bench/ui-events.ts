/**
 * The UI under push load, in Chromium: the events pane at ~1,000 object events/s and the
 * log pane at ~10,000 lines/s. Measures frame times (requestAnimationFrame deltas), long
 * tasks (PerformanceObserver, and from a performance trace: wall and CPU time, see
 * ui-trace.ts) and how far each pane lags behind: the events pane's newest row vs the newest
 * PUT sent, the log pane's newest line on screen vs the time the function printed it.
 * Run: `npm run build && node bin/tsx.js bench/ui-events.ts [seconds] [--trace FILE]`.
 * Uses the built headless server (test/e2e/headless-server.ts) and /usr/bin/chromium (or
 * COS_LOCAL_CHROMIUM).
 */
import { chromium, type Page } from '@playwright/test'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { startHeadless } from '../test/e2e/headless-server.ts'
import { describeTasks, tracer } from './ui-trace.ts'

const SECONDS = Number(/^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : 10)
const TRACE = process.argv.includes('--trace') ? process.argv[process.argv.indexOf('--trace') + 1] : undefined
const EVENTS_PER_SECOND = 1000
const LINES_PER_SECOND = 10_000
const BUCKET = 'uibench-1250000000'

interface FrameStats {
  frames: number
  p50: number
  p95: number
  max: number
  over50: number
  longTasks: number
  longestTask: number
}

// Plain script text: the page runs it as written (no TypeScript transform, no Node types).
const START_PROBE = `(() => {
  const probe = { deltas: [], longTasks: [], running: true }
  globalThis.__probe = probe
  let last = performance.now()
  const tick = (now) => {
    probe.deltas.push(now - last)
    last = now
    if (probe.running) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push(entry.duration)
  }).observe({ type: 'longtask', buffered: false })
})()`

const STOP_PROBE = `(() => {
  const probe = globalThis.__probe
  probe.running = false
  const sorted = [...probe.deltas].sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return {
    frames: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    max: sorted.at(-1) ?? 0,
    over50: sorted.filter((d) => d > 50).length,
    longTasks: probe.longTasks.length,
    longestTask: Math.max(0, ...probe.longTasks)
  }
})()`

// Every 200 ms: the newest "t=<ms>" on the terminal's screen rows vs now (same machine clock).
const LOG_LAG_PROBE = `(() => {
  const lags = []
  const timer = setInterval(() => {
    const rows = [...document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div')]
    for (let i = rows.length - 1; i >= 0; i--) {
      const match = / t=(\\d+)/.exec(rows[i].textContent)
      if (match) {
        lags.push(Date.now() - Number(match[1]))
        break
      }
    }
  }, 200)
  globalThis.__logLag = { stop: () => (clearInterval(timer), lags) }
})()`

async function startProbe(page: Page): Promise<void> {
  await page.evaluate(START_PROBE)
}

async function stopProbe(page: Page): Promise<FrameStats> {
  return (await page.evaluate(STOP_PROBE)) as FrameStats
}

const fmt = (stats: FrameStats): string =>
  `frames ${stats.frames}, frame p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms, max ${stats.max.toFixed(0)} ms, ` +
  `${stats.over50} frames > 50 ms, ${stats.longTasks} long tasks (longest ${stats.longestTask.toFixed(0)} ms)`

async function main(): Promise<void> {
  const executablePath =
    process.env.COS_LOCAL_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
  const server = await startHeadless()
  const url = new URL(server.uiUrl)
  const token = url.searchParams.get('token')!
  const appApi = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(new URL(path, url.origin), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return response.json()
  }
  await fetch(`${server.cosEndpoint}/${BUCKET}`, { method: 'PUT' })
  const browser = await chromium.launch({ executablePath })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  try {
    await page.goto(server.uiUrl)
    await page.getByRole('tab', { name: /Events/ }).click()
    // Unmatched events (no trigger: the server takes ~3k PUT/s that way) shown, so every one is a row.
    await page.getByRole('button', { name: 'matched', exact: true }).waitFor()
    await page.getByRole('button', { name: 'no trigger matched' }).click()

    const trace = tracer(page, TRACE)
    const load = (): string => loadavg()[0]!.toFixed(1)

    // ── events pane at EVENTS_PER_SECOND ────────────────────────────────────
    const loadBefore = load()
    await trace.start()
    await startProbe(page)
    const sentAt = new Map<string, number>()
    let sent = 0
    let lagMax = 0
    const lags: number[] = []
    const start = Date.now()
    const sampler = setInterval(() => {
      void page
        .locator('[data-testid="event-row"] .key')
        .first()
        .textContent()
        .then((text) => {
          const key = text?.slice(BUCKET.length + 1) ?? ''
          const at = sentAt.get(key)
          if (at === undefined) return
          // lag: the newest PUT sent vs the newest row on screen
          const newest = Math.max(...[...sentAt.values()].slice(-50))
          const lag = Math.max(0, newest - at)
          lags.push(lag)
          lagMax = Math.max(lagMax, lag)
        })
        .catch(() => undefined)
    }, 200)
    const inflight = new Set<Promise<void>>()
    while (Date.now() - start < SECONDS * 1000) {
      const due = Math.floor(((Date.now() - start) / 1000) * EVENTS_PER_SECOND)
      while (sent < due) {
        if (inflight.size >= 64) await Promise.race(inflight)
        const key = `load/${sent++}.txt`
        sentAt.set(key, Date.now())
        const put = fetch(`${server.cosEndpoint}/${BUCKET}/${key}`, { method: 'PUT', body: 'x' })
          .then(async (response) => void (await response.arrayBuffer()))
          .finally(() => inflight.delete(put))
        inflight.add(put)
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await Promise.all(inflight)
    const elapsed = (Date.now() - start) / 1000
    await new Promise((resolve) => setTimeout(resolve, 1000))
    clearInterval(sampler)
    const events = await stopProbe(page)
    const eventTasks = await trace.stop('events')
    const shown = await page.getByTestId('events-count').textContent()
    const domRows = await page.getByTestId('event-row').count()
    lags.sort((a, b) => a - b)
    console.log(
      `Events pane: ${sent} PUTs in ${elapsed.toFixed(1)} s (${Math.round(sent / elapsed)}/s); ${fmt(events)}; ` +
        `lag p50 ${lags[Math.floor(lags.length / 2)] ?? 0} ms, max ${lagMax} ms; counter "${shown}"; ${domRows} rows in the DOM; ` +
        `${describeTasks(eventTasks)}; load average ${loadBefore} → ${load()}`
    )

    // ── log pane at LINES_PER_SECOND ────────────────────────────────────────
    const batch = Math.round(LINES_PER_SECOND / 100)
    await appApi('POST', '/api/functions', {
      name: 'chatty',
      runtime: 'nodejs',
      timeout: 60,
      code: {
        type: 'files',
        files: {
          'index.js': `exports.main_handler = async () => {
            const until = Date.now() + ${SECONDS * 1000}
            let n = 0
            while (Date.now() < until) {
              const at = Date.now()
              for (let i = 0; i < ${batch}; i++) console.log('line ' + n++ + ' of a chatty function t=' + at)
              await new Promise((r) => setTimeout(r, 10))
            }
            return n
          }`
        }
      }
    })
    await page.getByRole('tab', { name: /Logs/ }).click()
    await page.getByTestId('terminal').waitFor()
    const logLoadBefore = load()
    await trace.start()
    await startProbe(page)
    // Lag: the newest line on screen carries the time the function printed it.
    await page.evaluate(LOG_LAG_PROBE)
    const invoke = appApi('POST', '/api/functions/chatty/invoke', {})
    // follow the running invocation live (the worst case: every line is written as it arrives)
    await page.getByRole('button', { name: /^chatty / }).click({ timeout: 10_000 })
    const result = (await invoke) as { message: string; durationMs: number }
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const logs = await stopProbe(page)
    const logTasks = await trace.stop('logs')
    const logLags = (await page.evaluate('globalThis.__logLag.stop()')) as number[]
    logLags.sort((a, b) => a - b)
    const lines = Number(result.message)
    console.log(
      `Log pane (following one invocation live): ${lines} lines in ${(result.durationMs / 1000).toFixed(1)} s ` +
        `(${Math.round(lines / (result.durationMs / 1000))}/s); ${fmt(logs)}; ` +
        `lag p50 ${logLags[Math.floor(logLags.length / 2)] ?? '?'} ms, max ${logLags.at(-1) ?? '?'} ms (${logLags.length} samples); ` +
        `${describeTasks(logTasks)}; load average ${logLoadBefore} → ${load()}`
    )
  } finally {
    await browser.close()
    await server.stop()
  }
}

await main()
