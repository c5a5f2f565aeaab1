/**
 * The closed-loop load generator: `concurrency` workers each run one operation after another
 * for a fixed time; every latency is kept so percentiles are exact.
 */

export interface LoadResult {
  concurrency: number
  ops: number
  errors: number
  opsPerSec: number
  p50Ms: number
  p99Ms: number
  /** The server's CPU time (user + system) per operation in µs, when `cpuMs` was given. */
  serverCpuUsPerOp?: number
}

/** `op(i)` performs one operation (i counts up across all workers); it throws on failure. */
export type Operation = (i: number) => Promise<void>

/**
 * `cpuMs` reads the server's CPU time so far (servers.ts `cpuMs`): its delta over the measured
 * phase divided by the operations is a figure that holds under load, unlike ops/s.
 */
export async function runLoad(
  op: Operation,
  concurrency: number,
  durationMs: number,
  warmupMs: number,
  cpuMs?: () => number
): Promise<LoadResult> {
  let next = 0
  if (warmupMs > 0) await loop(op, concurrency, warmupMs, () => next++, [])
  const latencies: number[] = []
  const started = performance.now()
  const cpuBefore = cpuMs?.()
  const errors = await loop(op, concurrency, durationMs, () => next++, latencies)
  const cpuAfter = cpuMs?.()
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    concurrency,
    ops: latencies.length,
    errors,
    opsPerSec: latencies.length / elapsed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    serverCpuUsPerOp:
      cpuBefore === undefined || cpuAfter === undefined || latencies.length === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / latencies.length
  }
}

async function loop(
  op: Operation,
  concurrency: number,
  durationMs: number,
  nextIndex: () => number,
  latencies: number[]
): Promise<number> {
  const deadline = performance.now() + durationMs
  let errors = 0
  let firstError: unknown
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const start = performance.now()
      try {
        await op(nextIndex())
        latencies.push(performance.now() - start)
      } catch (error) {
        errors++
        firstError ??= error
        if (errors > 100) throw firstError
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  if (errors > 0) console.warn(`  ${errors} failed operations, first: ${String(firstError)}`)
  return errors
}

/** The value below which a fraction `p` of the sorted samples fall (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5
  )
}

/** Runs `tasks` with at most `concurrency` in flight (used to load many objects fast). */
export async function forEachConcurrent(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}
