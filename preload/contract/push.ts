/**
 * Messages the core pushes to the UI over the app API's WebSocket (`/api/push`).
 * Object changes are invalidations: the UI refetches what it shows.
 */
import type { HistoryEvent } from './history.ts'
import type { Invocation, LogLine } from './invocations.ts'

export interface ObjectsChangedPush {
  type: 'objects-changed'
  bucket: string
  keys: string[]
}

/** Other modules add their push messages to this union (events, invocations, logs). */
export type PushMessage = ObjectsChangedPush | EventsPush

/** The event bus's messages: matched events, invocation state, log chunks. */
export type EventsPush = EventMatchedPush | InvocationPush | LogPush | LogDroppedPush | HistoryPush

/** An event history row, new or with a changed delivery summary (merge by seq). */
export interface HistoryPush {
  type: 'history'
  event: HistoryEvent
}

/** An object event was consumed; `invoked` lists the deliveries it started (maybe none). */
export interface EventMatchedPush {
  type: 'event-matched'
  seq: number
  name: string
  bucket: string
  key: string
  time: number
  invoked: { functionName: string; requestId: string }[]
}

/** An invocation changed state. */
export interface InvocationPush {
  type: 'invocation'
  invocation: Invocation
}

/** New run-log lines of one invocation. */
export interface LogPush {
  type: 'log'
  requestId: string
  functionName: string
  lines: LogLine[]
}

/** Lines or messages that were not streamed because the UI could not keep up. */
export interface LogDroppedPush {
  type: 'log'
  dropped: number
  line: string
}

export interface PushSink {
  send(message: PushMessage): void
  /**
   * Whether a UI is connected now. Senders skip building messages while this is false (a UI that
   * connects later asks the app API for what it shows, then follows the pushes).
   */
  readonly listening: boolean
}
