/**
 * Preloaded into a server by `bench/million-probe.ts` (`node --import`): every garbage collection
 * of every isolate (the main thread and each worker) as one line in $COS_BENCH_GC_LOG —
 * `threadId kind start duration`, start in ms of wall-clock time (performance.timeOrigin +
 * startTime), so the probe can lay them beside its pages without guessing the server's clock.
 * kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental (a marking step), 8 weak callbacks.
 */
import { openSync, writeSync } from 'node:fs'
import { performance, PerformanceObserver } from 'node:perf_hooks'
import { threadId } from 'node:worker_threads'

const file = process.env.COS_BENCH_GC_LOG
if (file) {
  const fd = openSync(file, 'a')
  new PerformanceObserver((list) => {
    let lines = ''
    for (const entry of list.getEntries())
      lines += `${threadId} ${entry.detail.kind} ${(performance.timeOrigin + entry.startTime).toFixed(3)} ${entry.duration.toFixed(3)}\n`
    writeSync(fd, lines)
  }).observe({ entryTypes: ['gc'] })
}
