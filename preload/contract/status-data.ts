/** Plain data the renderer may import as values: the invocation and event status names. */

export const INVOCATION_STATUSES = ['pending', 'running', 'retrying', 'succeeded', 'failed', 'dead-lettered'] as const

/** An event's status: the worst outcome among its deliveries, or unmatched. */
export const EVENT_STATUSES = ['unmatched', 'in-flight', 'succeeded', 'failed', 'dead-lettered'] as const
/** What the event history can be filtered by: the statuses, plus "matched" (any delivery). */
export const EVENT_STATUS_FILTERS = ['matched', ...EVENT_STATUSES] as const
