/**
 * Function run logs, grouped per invocation so concurrent invocations never interleave: an
 * invocation's lines are collected until its Report line, then released as one block. A
 * running invocation can be followed on its own. Bounded: the newest MAX_LINES lines.
 * On open, the newest lines are loaded from the server.
 */
import type { LogPush, LogDroppedPush } from '../../../../preload/contract/push.ts'
import { api } from '../api.ts'
import { logLevel, type LogLevel } from '../log-format.ts'

export const MAX_LINES = 20_000
const MAX_RUNNING_LINES = 20_000
const TAIL_ON_OPEN = 3000

export interface LogEntry {
  requestId: string
  functionName: string
  text: string
  time: number
  level: LogLevel
}

export interface LogFilter {
  functionName: string
  requestId: string
  /** 'all', or only error lines, or errors and warnings. */
  level: 'all' | 'warn' | 'error'
}

export interface RunningInvocation {
  requestId: string
  functionName: string
  lines: number
}

/** `entries` are released blocks (or a followed invocation's live lines when `live`). */
export type LogListener = (entries: LogEntry[], live: boolean) => void

/** One log line of one invocation (a stored line and its push have the same). */
function lineKey(entry: LogEntry): string {
  return `${entry.requestId}\u0000${Math.floor(entry.time)}\u0000${entry.text}`
}

export function entryPasses(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.functionName && entry.functionName !== filter.functionName) return false
  if (filter.requestId && entry.requestId !== filter.requestId) return false
  if (filter.level === 'error') return entry.level === 'error'
  if (filter.level === 'warn') return entry.level === 'error' || entry.level === 'warn'
  return true
}

export class LogsStore {
  /** Lines received in total (drives counters; the buffers themselves are not reactive). */
  count = $state(0)
  /** Lines that arrived live since the Logs tab was last open (its tab shows a dot). */
  unseen = $state(0)
  running = $state.raw<RunningInvocation[]>([])
  functions = $state.raw<string[]>([])
  loaded = $state(false)
  #lines: LogEntry[] = []
  // Plumbing, not UI state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #open = new Map<string, LogEntry[]>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #listeners = new Set<LogListener>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #functionSet = new Set<string>()
  #runningDirty = false

  /** Released lines, oldest first. */
  get lines(): readonly LogEntry[] {
    return this.#lines
  }

  /** Lines of an invocation still running (empty when none). */
  openLines(requestId: string): readonly LogEntry[] {
    return this.#open.get(requestId) ?? []
  }

  receive(message: LogPush | LogDroppedPush): void {
    if ('dropped' in message) {
      this.#release([{ requestId: '', functionName: '', text: message.line, time: Date.now(), level: 'warn' }])
      return
    }
    this.#seen(message.functionName)
    let block = this.#open.get(message.requestId)
    if (!block) {
      block = []
      this.#open.set(message.requestId, block)
      this.#runningDirty = true
    }
    const live: LogEntry[] = []
    for (const line of message.lines) {
      const entry: LogEntry = {
        requestId: message.requestId,
        functionName: message.functionName,
        text: line.text,
        time: line.time,
        level: logLevel(line.text)
      }
      if (block.length < MAX_RUNNING_LINES || entry.level === 'platform') block.push(entry)
      live.push(entry)
      if (line.text.startsWith('Report RequestId:')) {
        this.#open.delete(message.requestId)
        this.#runningDirty = true
        this.#emit(live.splice(0), true)
        this.#release(block)
        block = []
        this.#open.set(message.requestId, block)
      }
    }
    if (block.length === 0) this.#open.delete(message.requestId)
    if (live.length > 0) this.#emit(live, true)
    this.count += message.lines.length
    this.unseen += message.lines.length
    if (this.#runningDirty) this.#updateRunning()
  }

  /** Load the newest lines from the server (once per page load). */
  async loadRecent(): Promise<void> {
    if (this.loaded) return
    this.loaded = true
    const { lines } = await api.logTail({ tail: TAIL_ON_OPEN })
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const blocks = new Map<string, LogEntry[]>()
    for (const line of lines) {
      this.#seen(line.functionName)
      let block = blocks.get(line.requestId)
      if (!block) blocks.set(line.requestId, (block = []))
      block.push({
        requestId: line.requestId,
        functionName: line.functionName,
        text: line.text,
        time: line.time,
        level: logLevel(line.text)
      })
    }
    const released = [...blocks.values()].flat()
    // Lines pushed since the page opened are stored too: the tab may open long after them (the
    // store listens from the start). Each line is kept once, the stored copy: it is complete
    // where a push began mid-invocation (before the page's socket was up).
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const stored = new Map<string, number>()
    for (const entry of released) {
      const key = lineKey(entry)
      stored.set(key, (stored.get(key) ?? 0) + 1)
    }
    let duplicates = 0
    const unseen = (entry: LogEntry): boolean => {
      const key = lineKey(entry)
      const left = stored.get(key)
      if (!left) return true
      stored.set(key, left - 1)
      duplicates++
      return false
    }
    const pushed = this.#lines.filter(unseen)
    for (const [requestId, block] of this.#open) this.#open.set(requestId, block.filter(unseen))
    // Stored lines are older than anything pushed since the page opened and not stored then: first.
    this.#lines = [...released, ...pushed].slice(-MAX_LINES)
    this.count += released.length - duplicates
    this.#emit([], false)
  }

  clear(): void {
    this.#lines = []
    this.count = 0
    this.#emit([], false)
  }

  /** Calls `listener` with each released block; `([], false)` means "redraw everything". */
  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #release(block: LogEntry[]): void {
    if (block.length === 0) return
    this.#lines.push(...block)
    if (this.#lines.length > MAX_LINES) this.#lines.splice(0, this.#lines.length - MAX_LINES)
    this.#emit(block, false)
  }

  #emit(entries: LogEntry[], live: boolean): void {
    for (const listener of this.#listeners) listener(entries, live)
  }

  #seen(functionName: string): void {
    if (this.#functionSet.has(functionName)) return
    this.#functionSet.add(functionName)
    this.functions = [...this.#functionSet].sort()
  }

  #updateRunning(): void {
    this.#runningDirty = false
    this.running = [...this.#open].map(([requestId, lines]) => ({
      requestId,
      functionName: lines[0]?.functionName ?? '',
      lines: lines.length
    }))
  }
}
