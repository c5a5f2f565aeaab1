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
  args?: { name?: string; data?: { functionName?: string; url?: string; type?: string } }
}

export interface TaskStats {
  /** Top-level main-thread tasks longer than 50 ms of wall time. */
  wallOver50: number
  /** Those that also used more than 50 ms of the thread's CPU time. */
  cpuOver50: number
  longestWall: number
  longestCpu: number
  /** Where the wall time of the tasks over 50 ms went (nested entries overlap), biggest first. */
  inside: [string, number][]
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
    inside: [...inside].sort((a, b) => b[1] - a[1]).slice(0, 15)
  }
}

export const describeTasks = (stats: TaskStats): string =>
  `${stats.wallOver50} tasks over 50 ms (longest ${Math.round(stats.longestWall)} ms), ` +
  `${stats.cpuOver50} over 50 ms of CPU (longest ${Math.round(stats.longestCpu)} ms CPU)`
