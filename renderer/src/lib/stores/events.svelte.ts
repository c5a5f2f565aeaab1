/**
 * Matched events and their invocations from the push channel, newest first, bounded.
 * Log messages are not kept here: `receive` returns their lines for the logs store.
 */
import type { EventsPush } from '../../../../preload/contract/push.ts'

export interface EventRow {
  /** seq:requestId (one row per function an event invoked; one row when it invoked none). */
  id: string
  time: number
  eventName: string
  bucket: string
  key: string
  functionName: string
  requestId: string
  status: string
}

const MAX_ROWS = 500
const DIM = '\u001b[2m'
const CYAN = '\u001b[36m'
const RED = '\u001b[31m'
const RESET = '\u001b[0m'

/** A log line for the terminal: `[function] text`, errors in red. */
function terminalLine(functionName: string, text: string): string {
  const colour = /^(ERROR|\[ERROR\])|\tERROR\t/.test(text) ? RED : ''
  return `${CYAN}[${functionName}]${RESET} ${colour}${text}${colour ? RESET : ''}`
}

export class EventsStore {
  items = $state<EventRow[]>([])

  /** Applies one push message; returns the terminal lines it carries (possibly none). */
  receive(message: EventsPush): string[] {
    switch (message.type) {
      case 'event-matched': {
        const base = { time: message.time, eventName: message.name, bucket: message.bucket, key: message.key }
        const rows: EventRow[] =
          message.invoked.length === 0
            ? [{ ...base, id: `${message.seq}:`, functionName: '', requestId: '', status: 'no trigger matched' }]
            : message.invoked.map((call) => ({
                ...base,
                id: `${message.seq}:${call.requestId}`,
                functionName: call.functionName,
                requestId: call.requestId,
                status: 'pending'
              }))
        this.items.unshift(...rows)
        if (this.items.length > MAX_ROWS) this.items.length = MAX_ROWS
        return []
      }
      case 'invocation': {
        const { requestId, status } = message.invocation
        for (const row of this.items) if (row.requestId === requestId) row.status = status
        return []
      }
      case 'log':
        if ('dropped' in message) return [`${DIM}${message.line}${RESET}`]
        return message.lines.map((line) => terminalLine(message.functionName, line.text))
    }
  }

  clear(): void {
    this.items = []
  }
}
