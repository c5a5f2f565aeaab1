/**
 * Function log lines streamed from the core, kept in a bounded buffer so a flood cannot grow
 * memory. The terminal pane backfills from `lines` and then follows `subscribe`.
 */

const MAX_LINES = 5000

export type LogListener = (lines: string[]) => void

export class LogsStore {
  /** How many lines arrived in total (drives counters; the buffer itself is not reactive). */
  count = $state(0)
  #lines: string[] = []
  // Listeners are plumbing, not UI state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #listeners = new Set<LogListener>()

  get lines(): readonly string[] {
    return this.#lines
  }

  append(lines: string[]): void {
    if (lines.length === 0) return
    this.#lines.push(...lines)
    if (this.#lines.length > MAX_LINES) this.#lines.splice(0, this.#lines.length - MAX_LINES)
    this.count += lines.length
    for (const listener of this.#listeners) listener(lines)
  }

  clear(): void {
    this.#lines = []
    this.count = 0
  }

  /** Calls `listener` with each new batch of lines; returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
