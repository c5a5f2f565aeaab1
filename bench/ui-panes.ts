/**
 * The inspector's panes under push load, in Chromium against the built headless server:
 *
 * 1. events pane: PUTs at ~1,000/s on a bucket with a trigger to a no-op function (every event a
 *    row, each updated again when its invocation ends);
 * 2. log pane: invocations of a function printing 1,000 lines in ~100 ms each, back to back, two
 *    at a time (~10,000 lines/s asked), shown as whole blocks (the pane's default). A block can
 *    show only once its Report line has arrived, so the lag that the pane controls is measured
 *    from each Report line's arrival to its block on screen, split by the trace's markers into
 *    waiting for the next batch to xterm, xterm parsing it and xterm drawing it; the lag of every
 *    line frame (which includes waiting for its invocation to end) is printed too, and the page's
 *    main-thread CPU per line.
 *
 * For each: frame times (requestAnimationFrame deltas), main-thread tasks over 50 ms of wall
 * and of CPU time (from a performance trace, bench/ui-trace.ts), and how far the pane lags
 * behind the server: for every push frame the page receives (seen over CDP as it arrives), the
 * time until the pane shows that frame's newest event (seq) or log line.
 *
 *   npx electron-vite build && node bin/tsx.js bench/ui-panes.ts [--seconds 10] [--trace FILE]
 *     [--no-trigger]   events without a trigger (unmatched; the server takes more PUT/s)
 *     [--only events,logs]
 *     [--profile FILE] write a CPU profile of each pane's run (FILE-pane.cpuprofile) and print the
 *                      functions with the most self time
 *
 * Goals (issue 10): no frame over 50 ms, the pane never more than 1 s behind.
 */
import { chromium, type Page } from 'playwright-core'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { startHeadless } from '../test/e2e/headless-server.ts'
import { describeTasks, profiler, tracer, type TaskStats } from './ui-trace.ts'

const option = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? process.argv[index + 1] : undefined
}
const SECONDS = Number(option('seconds') ?? 10)
const TRACE = option('trace')
const PROFILE = option('profile')
const ONLY = new Set((option('only') ?? 'events,logs').split(','))
const TRIGGER = !process.argv.includes('--no-trigger')
const EVENTS_PER_SECOND = 1000
const LINES_PER_INVOCATION = 1000
const INVOCATIONS_IN_FLIGHT = 2
const BUCKET = 'uibench-1250000000'

interface FrameStats {
  frames: number
  p50: number
  p95: number
  max: number
  over50: number
}

// Plain script text: the page runs it as written (no TypeScript transform, no Node types).
// `read` is an expression giving the newest item on screen (a number) or NaN.
const startProbe = (read: string): string => `(() => {
  const probe = { deltas: [], shown: [], running: true }
  globalThis.__probe = probe
  let last = performance.now()
  const tick = (now) => {
    probe.deltas.push(now - last)
    last = now
    const newest = ${read}
    if (newest === newest && newest !== probe.shown.at(-1)?.[1]) {
      probe.shown.push([Date.now(), newest])
      console.timeStamp('shown ' + newest)
    }
    if (probe.running) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`

const STOP_PROBE = `(() => {
  const probe = globalThis.__probe
  probe.running = false
  const sorted = [...probe.deltas].sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return {
    frames: { frames: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0, over50: sorted.filter((d) => d > 50).length },
    shown: probe.shown
  }
})()`

/** The newest event row's seq (rows are newest first). */
const NEWEST_EVENT = `Number(document.querySelector('[data-testid="event-row"]')?.dataset.seq)`
/** The newest "t=<ms>" among the terminal's rows on screen. */
const NEWEST_LINE = `(() => {
  const rows = document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div')
  for (let i = rows.length - 1; i >= 0; i--) {
    const match = / t=(\\d+)/.exec(rows[i].textContent)
    if (match) return Number(match[1])
  }
  return NaN
})()`

/**
 * Before the app's code runs: every push frame the page receives is kept with its arrival time
 * (the listener added in the constructor runs before the app's onmessage). Parsed only after the
 * measurement, so recording costs the page almost nothing.
 */
const RECORD_PUSHES = `(() => {
  const Native = WebSocket
  globalThis.__pushes = []
  let seq = 0
  globalThis.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener('message', (event) => {
        globalThis.__pushes.push([Date.now(), event.data, ++seq])
        console.timeStamp('push ' + seq)
      })
    }
  }
})()`

/**
 * [arrival, newest value, frame number] per push frame since `from`: `newest` is page script
 * (message) => number. The frame number names the frame's "push N" marker in the trace.
 */
async function pushFrames(page: Page, from: number, newest: string): Promise<[number, number, number][]> {
  return (await page.evaluate(`(() => {
    const newest = ${newest}
    const out = []
    for (const [at, data, seq] of globalThis.__pushes) {
      if (at < ${from}) continue
      let value = NaN
      for (const message of [].concat(JSON.parse(data))) {
        const v = newest(message)
        if (v === v && !(v <= value)) value = v
      }
      if (value === value) out.push([at, value, seq])
    }
    return out
  })()`)) as [number, number, number][]
}

/** Frames carrying an invocation's Report line: the newest "t=" of that invocation (its block is complete). */
const BLOCK_DONE = `(() => {
  const newestOf = new Map()
  return (m) => {
    if (m.type !== 'log' || !m.lines) return NaN
    let done = NaN
    for (const line of m.lines) {
      const t = / t=(\\d+)/.exec(line.text)
      if (t) newestOf.set(m.requestId, Math.max(newestOf.get(m.requestId) ?? 0, Number(t[1])))
      else if (line.text.startsWith('Report RequestId:') && newestOf.has(m.requestId)) done = newestOf.get(m.requestId)
    }
    return done
  }
})()`

const EVENT_SEQ = `(m) => (m.type === 'history' ? m.event.seq : NaN)`
const LINE_TIME = `(m) => {
  let newest = NaN
  for (const line of m.type === 'log' && m.lines ? m.lines : []) {
    const t = / t=(\\d+)/.exec(line.text)
    if (t && !(Number(t[1]) <= newest)) newest = Number(t[1])
  }
  return newest
}`

/** For each push frame: ms until the pane showed its newest value (or something newer). */
function lags(frames: [number, number, number][], shown: [number, number][], until: number): number[] {
  const out: number[] = []
  for (const [receivedAt, value] of frames) {
    if (receivedAt > until) continue
    const seen = shown.find(([, newest]) => newest >= value)
    out.push(seen ? Math.max(0, seen[0] - receivedAt) : until + 1000 - receivedAt)
  }
  return out.sort((a, b) => a - b)
}

/**
 * Where a block's time goes, from the trace's markers: its Report frame's arrival ("push N") →
 * the pane's next batch to xterm ("log-batch B lines backlog", an animation frame) → xterm has
 * parsed that batch ("log-parsed B") → the probe sees it on screen ("shown T").
 */
function stages(frames: [number, number, number][], stamps: [number, string][]): string {
  const at = new Map<string, number>()
  const batches: [number, number, number, number][] = [] // [ts, id, lines, backlog]
  const shown: [number, number][] = []
  for (const [ts, message] of stamps) {
    const [kind, a, b, c] = message.split(' ')
    if (kind === 'push' || kind === 'log-parsed') at.set(`${kind} ${a}`, ts)
    else if (kind === 'log-batch') batches.push([ts, Number(a), Number(b), Number(c)])
    else if (kind === 'shown') shown.push([ts, Number(a)])
  }
  const waits: number[][] = [[], [], [], []]
  const sizes: number[] = []
  for (const [, value, seq] of frames) {
    const arrived = at.get(`push ${seq}`)
    if (arrived === undefined) continue
    const batch = batches.find(([ts]) => ts >= arrived)
    const seen = shown.find(([ts, newest]) => ts >= arrived && newest >= value)
    if (!batch || !seen) continue
    const parsed = at.get(`log-parsed ${batch[1]}`) ?? seen[0]
    waits[0]!.push(batch[0] - arrived)
    waits[1]!.push(parsed - batch[0])
    waits[2]!.push(Math.max(0, seen[0] - parsed))
    waits[3]!.push(seen[0] - arrived)
    sizes.push(batch[3])
  }
  const q = (values: number[], p: number): number =>
    Math.round([...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0)
  const pair = (values: number[]): string => `${q(values, 0.5)} / ${q(values, 0.95)} / ${q(values, 1)}`
  return (
    `per block (p50 / p95 / max ms, ${sizes.length} blocks): Report frame → batch to xterm ${pair(waits[0]!)}, ` +
    `→ parsed by xterm ${pair(waits[1]!)}, → on screen ${pair(waits[2]!)}; total ${pair(waits[3]!)}; ` +
    `xterm backlog at the batch (lines) ${pair(sizes)}`
  )
}

const quantiles = (lag: number[]): string => {
  const q = (p: number): number => lag[Math.min(lag.length - 1, Math.floor(p * lag.length))] ?? 0
  return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${lag.at(-1) ?? 0} ms (${lag.length} blocks)`
}

const describe = (name: string, stats: FrameStats, tasks: TaskStats, lag: number[], load: string): string => {
  const q = (p: number): number => lag[Math.min(lag.length - 1, Math.floor(p * lag.length))] ?? 0
  return (
    `${name}: frames p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms, max ${Math.round(stats.max)} ms, ` +
    `${stats.over50} of ${stats.frames} over 50 ms; ${describeTasks(tasks)}; ` +
    `behind the push channel p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${lag.at(-1) ?? 0} ms (${lag.length} frames); load ${load}`
  )
}

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
  const load = (): string => loadavg()[0]!.toFixed(1)
  const results: string[] = []
  await fetch(`${server.cosEndpoint}/${BUCKET}`, { method: 'PUT' })
  if (TRIGGER) {
    await appApi('POST', '/api/functions', {
      name: 'noop',
      runtime: 'nodejs',
      code: { type: 'files', files: { 'index.js': 'exports.main_handler = async () => "ok"' } }
    })
    await appApi('POST', '/api/triggers', { functionName: 'noop', bucket: BUCKET, event: 'cos:ObjectCreated:*' })
  }
  const browser = await chromium.launch({ executablePath })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const trace = tracer(page, TRACE)
  const profile = await profiler(page, PROFILE)
  /** Start a measured phase (the profile, the trace, the page's frame probe reading `newest`, a
   * fresh push record); returns the load average at its start. */
  const beginPhase = async (newest: string): Promise<string> => {
    const atStart = load()
    await profile.start()
    await trace.start()
    await page.evaluate(startProbe(newest))
    await page.evaluate('globalThis.__pushes = []')
    return atStart
  }
  /** End a phase 2 s after its load stopped (for the pane to catch up): frames, what showed when, tasks. */
  const endPhase = async (
    name: string
  ): Promise<{ frames: FrameStats; shown: [number, number][]; tasks: TaskStats }> => {
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const probe = (await page.evaluate(STOP_PROBE)) as { frames: FrameStats; shown: [number, number][] }
    const tasks = await trace.stop(name)
    await profile.stop(name)
    return { ...probe, tasks }
  }
  try {
    await page.addInitScript(RECORD_PUSHES)
    await page.goto(server.uiUrl)
    // ── events pane ────────────────────────────────────────────────────────
    if (ONLY.has('events')) {
      await page.getByRole('tab', { name: /Events/ }).click()
      await page.getByRole('button', { name: 'matched', exact: true }).waitFor()
      // Without a trigger every event is "no trigger matched": show those too, so each is a row.
      if (!TRIGGER) await page.getByRole('button', { name: 'no trigger matched' }).click()
      const eventsLoad = await beginPhase(NEWEST_EVENT)
      let sent = 0
      const start = Date.now()
      const inflight = new Set<Promise<void>>()
      while (Date.now() - start < SECONDS * 1000) {
        const due = Math.floor(((Date.now() - start) / 1000) * EVENTS_PER_SECOND)
        while (sent < due && Date.now() - start < SECONDS * 1000) {
          if (inflight.size >= 64) await Promise.race(inflight)
          const put = fetch(`${server.cosEndpoint}/${BUCKET}/load/${sent++}.txt`, { method: 'PUT', body: 'x' })
            .then(async (response) => void (await response.arrayBuffer()))
            .finally(() => inflight.delete(put))
          inflight.add(put)
        }
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      await Promise.all(inflight)
      const elapsed = (Date.now() - start) / 1000
      const loadEnd = Date.now()
      const { tasks: eventTasks, ...events } = await endPhase('events')
      const counter = await page.getByTestId('events-count').textContent()
      const domRows = await page.getByTestId('event-row').count()
      results.push(
        `Events pane, ${sent} PUTs in ${elapsed.toFixed(1)} s (${Math.round(sent / elapsed)}/s${TRIGGER ? ', each invoking a no-op function' : ', no trigger'}), ` +
          `counter "${counter}", ${domRows} rows in the DOM. ` +
          describe(
            'events',
            events.frames,
            eventTasks,
            lags(await pushFrames(page, start, EVENT_SEQ), events.shown, loadEnd),
            `${eventsLoad} → ${load()}`
          )
      )
      console.log(results.at(-1))
    }

    // ── log pane ──────────────────────────────────────────────────────────
    if (ONLY.has('logs')) {
      await appApi('POST', '/api/functions', {
        name: 'chatty',
        runtime: 'nodejs',
        timeout: 30,
        code: {
          type: 'files',
          files: {
            'index.js': `exports.main_handler = async () => {
            for (let batch = 0; batch < 10; batch++) {
              const at = Date.now()
              for (let i = 0; i < ${LINES_PER_INVOCATION / 10}; i++) console.log('line ' + (batch * 100 + i) + ' of a chatty function t=' + at)
              await new Promise((r) => setTimeout(r, 10))
            }
            return ${LINES_PER_INVOCATION}
          }`
          }
        }
      })
      await page.getByRole('tab', { name: /Logs/ }).click()
      await page.getByTestId('terminal').waitFor()
      const logsLoad = await beginPhase(NEWEST_LINE)
      let invocations = 0
      const logStart = Date.now()
      await Promise.all(
        Array.from({ length: INVOCATIONS_IN_FLIGHT }, async () => {
          while (Date.now() - logStart < SECONDS * 1000) {
            await appApi('POST', '/api/functions/chatty/invoke', {})
            invocations++
          }
        })
      )
      const logElapsed = (Date.now() - logStart) / 1000
      const logEnd = Date.now()
      const { tasks: logTasks, ...logs } = await endPhase('logs')
      const lines = invocations * LINES_PER_INVOCATION
      const blocks = await pushFrames(page, logStart, BLOCK_DONE)
      results.push(
        `Log pane, ${invocations} invocations × ${LINES_PER_INVOCATION} lines in ${logElapsed.toFixed(1)} s (${Math.round(lines / logElapsed)} lines/s), whole blocks. ` +
          describe(
            'logs',
            logs.frames,
            logTasks,
            lags(await pushFrames(page, logStart, LINE_TIME), logs.shown, logEnd),
            `${logsLoad} → ${load()}`
          ).replace('behind the push channel', 'each line frame until its block shows') +
          `; from each Report line's arrival to its block on screen ${quantiles(lags(blocks, logs.shown, logEnd))}; ` +
          `${stages(blocks, logTasks.stamps)}; main thread ${Math.round(logTasks.cpuTotal)} ms CPU ` +
          `(${((logTasks.cpuTotal * 1000) / Math.max(1, lines)).toFixed(1)} µs per line)`
      )
      console.log(results.at(-1))
    }
  } finally {
    await browser.close()
    await server.stop()
  }
}

await main()
