/**
 * Streams log lines to the UI: lines are grouped per invocation and flushed about every
 * 16 ms as one push message, so a chatty function costs few messages. While no UI is connected
 * the lines are not buffered at all (they are stored with the invocation either way).
 */
import type { PushSink } from '../../preload/contract/push.ts'
import type { RunLogLine as LogLine } from './ports.ts'

const FLUSH_MS = 16
const MAX_PENDING_LINES = 5000

export class LogPusher {
  readonly #push: PushSink | undefined
  readonly #pending = new Map<string, { functionName: string; lines: LogLine[] }>()
  #count = 0
  #dropped = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(push: PushSink | undefined) {
    this.#push = push
  }

  add(requestId: string, functionName: string, line: LogLine): void {
    if (!this.#push?.listening) return
    if (this.#count >= MAX_PENDING_LINES) {
      this.#dropped++
      return
    }
    let entry = this.#pending.get(requestId)
    if (!entry) {
      entry = { functionName, lines: [] }
      this.#pending.set(requestId, entry)
    }
    entry.lines.push(line)
    this.#count++
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS)
  }

  flush(): void {
    this.#timer = undefined
    for (const [requestId, entry] of this.#pending) {
      this.#push?.send({ type: 'log', requestId, functionName: entry.functionName, lines: entry.lines })
    }
    if (this.#dropped > 0) {
      this.#push?.send({
        type: 'log',
        dropped: this.#dropped,
        line: `[cos-local] ${this.#dropped} log lines not streamed (too many)`
      })
    }
    this.#pending.clear()
    this.#count = 0
    this.#dropped = 0
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
