/**
 * Main-thread tasks of a page from a Chromium performance trace, for the UI benchmarks.
 *
 * A task's wall time (what PerformanceObserver 'longtask' and frame gaps measure) includes the
 * time the renderer's thread waited for a CPU; on a machine shared by other jobs that dominates.
 * The trace also records each task's thread CPU time, which is what the page's own code costs:
 * "tasks over 50 ms of CPU" is the figure the page controls, whatever the load.
 */
import { writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string; data?: { functionName?: string; url?: string; type?: string; message?: string } }
}

export interface TaskStats {
  /** Top-level main-thread tasks longer than 50 ms of wall time. */
  wallOver50: number
  /** Those that also used more than 50 ms of the thread's CPU time. */
  cpuOver50: number
  longestWall: number
  longestCpu: number
  /** CPU time of all the main thread's tasks, ms. */
  cpuTotal: number
  /** Where the wall time of the tasks over 50 ms went (nested entries overlap), biggest first. */
  inside: [string, number][]
  /** console.timeStamp() markers on the main thread: [ms on the trace's clock, message]. */
  stamps: [number, string][]
}

export interface Tracer {
  start(): Promise<void>
  /** Stops, writes `${file}-${name}.json` when a file was given, and summarises the tasks. */
  stop(name: string): Promise<TaskStats>
}

export function tracer(page: Page, file?: string): Tracer {
  const browser = page.context().browser()!
  return {
    start: () => browser.startTracing(page, { categories: ['devtools.timeline'] }),
    async stop(name) {
      const buffer = await browser.stopTracing()
      if (file) writeFileSync(`${file}-${name}.json`, buffer)
      return summarise((JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents)
    }
  }
}

function summarise(events: TraceEvent[]): TaskStats {
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
  const onMain = events
    .filter((event) => event.ph === 'X' && main && event.pid === main.pid && event.tid === main.tid)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
  // Top-level: not inside the previous top-level event.
  const top: TraceEvent[] = []
  let end = -1
  for (const event of onMain) {
    if (event.ts < end) continue
    top.push(event)
    end = event.ts + (event.dur ?? 0)
  }
  const long = top.filter((event) => (event.dur ?? 0) > 50_000)
  const inside = new Map<string, number>()
  for (const task of long) {
    const taskEnd = task.ts + task.dur!
    for (const event of onMain) {
      if (event.ts < task.ts || event.ts >= taskEnd) continue
      const data = event.args?.data
      const what = data?.functionName || data?.type || ''
      const label = `${event.name}${what ? ` ${what}` : ''}`
      inside.set(label, (inside.get(label) ?? 0) + (event.dur ?? 0) / 1000)
    }
  }
  return {
    wallOver50: long.length,
    cpuOver50: top.filter((event) => (event.tdur ?? 0) > 50_000).length,
    longestWall: Math.max(0, ...top.map((event) => (event.dur ?? 0) / 1000)),
    longestCpu: Math.max(0, ...top.map((event) => (event.tdur ?? 0) / 1000)),
    cpuTotal: top.reduce((sum, event) => sum + (event.tdur ?? 0) / 1000, 0),
    inside: [...inside].sort((a, b) => b[1] - a[1]).slice(0, 15),
    stamps: events
      .filter((event) => event.name === 'TimeStamp' && main && event.pid === main.pid)
      .map((event): [number, string] => [event.ts / 1000, String(event.args?.data?.message ?? '')])
      .sort((a, b) => a[0] - b[0])
  }
}

export const describeTasks = (stats: TaskStats): string =>
  `${stats.wallOver50} tasks over 50 ms (longest ${Math.round(stats.longestWall)} ms), ` +
  `${stats.cpuOver50} over 50 ms of CPU (longest ${Math.round(stats.longestCpu)} ms CPU)`

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** CPU profiling over CDP: `start()`, then `stop(name)` writes the profile and prints the top self times. */
export async function profiler(
  page: Page,
  file?: string
): Promise<{ start: () => Promise<void>; stop: (name: string) => Promise<void> }> {
  if (!file) return { start: async () => {}, stop: async () => {} }
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  return {
    start: async () => void (await cdp.send('Profiler.start')),
    stop: async (name) => {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }
      writeFileSync(`${file}-${name}.cpuprofile`, JSON.stringify(profile))
      const byId = new Map(profile.nodes.map((node) => [node.id, node]))
      const self = new Map<string, number>()
      let total = 0
      profile.samples.forEach((id, i) => {
        const frame = byId.get(id)!.callFrame
        const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').at(-1)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`
        const delta = profile.timeDeltas[i] ?? 0
        total += delta
        self.set(where, (self.get(where) ?? 0) + delta)
      })
      console.log(`\nCPU profile of ${name} (${`${Math.round(total / 1000)} ms`} sampled), top self time:`)
      for (const [where, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(`  ${`${Math.round(micros / 1000)} ms`.padStart(9)}  ${where}`)
    }
  }
}
