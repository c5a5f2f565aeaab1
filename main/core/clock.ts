/**
 * The one source of time for the core. Everything that waits (retries, restore jobs,
 * replication lag) goes through a Clock so a sped-up clock (`--clock-speed 60`) turns
 * minutes into seconds and tests can advance time by hand.
 */
export interface Clock {
  /** Emulated wall-clock time in epoch milliseconds. */
  now(): number
  /** Run `fn` after `ms` of emulated time. */
  setTimeout(fn: () => void, ms: number): ClockTimer
  clearTimeout(timer: ClockTimer): void
  /** How many emulated milliseconds pass per real millisecond. */
  readonly speed: number
}

export interface ClockTimer {
  readonly id: number
}

/** A clock that follows the real clock, optionally running `speed` times faster. */
export function createSystemClock(speed = 1, realNow: () => number = Date.now): Clock {
  if (!(speed > 0)) throw new Error(`clock speed must be a positive number, got ${speed}`)
  const origin = realNow()
  const timers = new Map<number, ReturnType<typeof setTimeout>>()
  let nextId = 1
  return {
    speed,
    now: () => origin + (realNow() - origin) * speed,
    setTimeout(fn, ms) {
      const id = nextId++
      const handle = setTimeout(
        () => {
          timers.delete(id)
          fn()
        },
        Math.max(0, ms / speed)
      )
      handle.unref?.()
      timers.set(id, handle)
      return { id }
    },
    clearTimeout(timer) {
      const handle = timers.get(timer.id)
      if (handle !== undefined) clearTimeout(handle)
      timers.delete(timer.id)
    }
  }
}

/** A clock that moves only when told to: for table tests of time-based rules. */
export class ManualClock implements Clock {
  readonly speed = 1
  #now: number
  #nextId = 1
  #timers = new Map<number, { at: number; fn: () => void }>()

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const id = this.#nextId++
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn })
    return { id }
  }

  clearTimeout(timer: ClockTimer): void {
    this.#timers.delete(timer.id)
  }

  /** Move time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.#now + ms
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined
      for (const entry of this.#timers) {
        if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry
      }
      if (!due) break
      this.#timers.delete(due[0])
      this.#now = due[1].at
      due[1].fn()
    }
    this.#now = target
  }
}
