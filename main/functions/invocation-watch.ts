/**
 * One ticker for the watch of every running invocation (the fork-bomb check on each tick, the
 * memory sample every few ticks) instead of two intervals per invocation. Under a burst of short
 * invocations starting one cost two timers created and cleared, and each running invocation
 * read the system's task count on its own tick; now an invocation adds and removes a set entry,
 * and one read of the count per tick serves them all. The ticker runs only while something is
 * watched.
 */

export interface WatchTick {
  /** The system's task count read for this tick (undefined where it cannot be read). */
  tasks: number | undefined
  /** Whether memory is sampled on this tick (every `sampleEvery` ticks). */
  sample: boolean
  /** performance.now() at this tick. */
  at: number
}

export interface InvocationWatch {
  /** Call `onTick` on every tick until the returned function is called. */
  add(onTick: (tick: WatchTick) => void): () => void
}

export function createInvocationWatch(
  tickMs: number,
  sampleEvery: number,
  readTasks: () => number | undefined
): InvocationWatch {
  const watchers = new Set<(tick: WatchTick) => void>()
  let timer: ReturnType<typeof setInterval> | undefined
  let ticks = 0
  const tick = (): void => {
    ticks++
    const now: WatchTick = { tasks: readTasks(), sample: ticks % sampleEvery === 0, at: performance.now() }
    for (const watcher of watchers) watcher(now)
  }
  return {
    add(onTick) {
      watchers.add(onTick)
      timer ??= setInterval(tick, tickMs)
      return () => {
        watchers.delete(onTick)
        if (watchers.size > 0 || timer === undefined) return
        clearInterval(timer)
        timer = undefined
      }
    }
  }
}
