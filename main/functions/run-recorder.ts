/**
 * Collects one invocation's run log in SCF's format: START, the user's lines (capped in
 * bytes so a flood cannot grow memory or the database), Response or ERROR, END, Report.
 * Every line is also handed to `onLine` as it is made, for live streaming.
 */
import { endLine, errorLine, reportLine, responseLine, startLine, userLine } from '../core/functions/run-log.ts'
import type { AttemptResult } from './function-instance.ts'

export interface LogLine {
  /** Epoch ms on the emulator's clock. */
  time: number
  text: string
}

export class RunRecorder {
  readonly lines: LogLine[] = []
  truncated = false
  #bytes = 0
  readonly #requestId: string
  readonly #now: () => number
  readonly #limitBytes: number
  readonly #onLine: ((line: LogLine) => void) | undefined

  constructor(requestId: string, now: () => number, limitBytes: number, onLine?: (line: LogLine) => void) {
    this.#requestId = requestId
    this.#now = now
    this.#limitBytes = limitBytes
    this.#onLine = onLine
  }

  /** `time`: the clock reading the line's text was stamped with (one reading for both). */
  #add(text: string, time = this.#now()): void {
    const line = { time, text }
    this.lines.push(line)
    this.#onLine?.(line)
  }

  start(): void {
    this.#add(startLine(this.#requestId))
  }

  /** User log lines dropped past the limit (here, or by the runtime before sending them). */
  droppedLines = 0

  /** A user log entry; `cutOff` marks the runtime's own "output truncated" notice. */
  user(message: string, cutOff = false): void {
    if (this.truncated) {
      this.droppedLines++
      return
    }
    if (cutOff) this.truncated = true
    this.#bytes += message.length + 1
    if (this.#bytes > this.#limitBytes) {
      this.truncated = true
      this.droppedLines++
      const now = this.#now()
      this.#add(
        userLine(now, this.#requestId, `[cos-local] log output over ${this.#limitBytes} bytes; the rest is dropped`),
        now
      )
      return
    }
    const now = this.#now()
    this.#add(userLine(now, this.#requestId, message), now)
  }

  /** Lines that never reached the recorder (dropped by the runtime or the output reader). */
  dropped(lines: number): void {
    if (lines > 0) {
      this.truncated = true
      this.droppedLines += lines
    }
  }

  finish(result: AttemptResult, memoryMb: number): void {
    if (this.droppedLines > 0) {
      const now = this.#now()
      this.#add(
        userLine(
          now,
          this.#requestId,
          `[cos-local] ${this.droppedLines} user log line${this.droppedLines === 1 ? ' was' : 's were'} dropped ` +
            `(the run log keeps ${this.#limitBytes} bytes of output per invocation)`
        ),
        now
      )
    }
    if (result.outcome === 'succeeded') {
      this.#add(responseLine(this.#requestId, result.valueJson === undefined ? undefined : safeParse(result.valueJson)))
    } else {
      this.#add(errorLine(this.#requestId, errorResult(result)))
    }
    this.#add(endLine(this.#requestId))
    this.#add(reportLine(this.#requestId, result.durationMs, memoryMb, result.memUsageBytes))
  }
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json)
  } catch {
    return json
  }
}

/** The `Result:` of an ERROR line: errorCode 1 for the user's errors, -1 for the platform's. */
export function errorResult(result: AttemptResult): string {
  const error = result.error ?? { errorType: 'Error', errorMessage: result.outcome, stackTrace: '' }
  const userError = result.outcome === 'error'
  return JSON.stringify({
    errorCode: userError ? 1 : -1,
    errorMessage: error.errorMessage,
    ...(userError && error.stackTrace ? { stackTrace: error.stackTrace } : {})
  })
}
