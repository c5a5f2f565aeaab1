/**
 * Messages the core pushes to the UI over the app API's WebSocket (`/api/push`).
 * Object changes are invalidations: the UI refetches what it shows.
 */
export interface ObjectsChangedPush {
  type: 'objects-changed'
  bucket: string
  keys: string[]
}

/** Other modules add their push messages to this union (events, invocations, logs). */
export type PushMessage = ObjectsChangedPush | EventsPush

/** Placeholder widened by the event-bus module: matched events, invocation state, log chunks. */
export interface EventsPush {
  type: 'event-matched' | 'invocation' | 'log'
  [field: string]: unknown
}

export interface PushSink {
  send(message: PushMessage): void
}
