/**
 * The event history's domain rules: one status per object event, derived from the
 * statuses of the deliveries it caused, and the COS request that caused it, derived from
 * the event (an event is only committed when its request succeeded).
 */
import type { ConcreteEventName } from './object-event.ts'

/** A delivery's status (core/functions/invocation-state.ts; spelled out here, core/events stands alone). */
export type DeliveryStatus = 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'dead-lettered'

/** The status shown for an event: the worst outcome among its deliveries, or unmatched. */
export const EVENT_STATUSES = ['unmatched', 'in-flight', 'succeeded', 'failed', 'dead-lettered'] as const
export type EventStatus = (typeof EVENT_STATUSES)[number]

/** What the history can be filtered by: the statuses, plus "matched" (any delivery at all). */
export const EVENT_STATUS_FILTERS = ['matched', ...EVENT_STATUSES] as const
export type EventStatusFilter = (typeof EVENT_STATUS_FILTERS)[number]

/** How many object events the history keeps (the newest). */
export const HISTORY_RETENTION = 100_000

/**
 * Aggregate the deliveries' statuses: dead letters first (they need action), then failures,
 * then anything still on its way, else succeeded. No delivery at all: unmatched.
 */
export function aggregateStatus(statuses: readonly DeliveryStatus[]): EventStatus {
  if (statuses.length === 0) return 'unmatched'
  if (statuses.includes('dead-lettered')) return 'dead-lettered'
  if (statuses.includes('failed')) return 'failed'
  if (statuses.some((status) => status === 'pending' || status === 'running' || status === 'retrying'))
    return 'in-flight'
  return 'succeeded'
}

export interface CausingRequest {
  method: 'PUT' | 'POST' | 'DELETE' | 'GET' | '(internal)'
  /** Path-style path with the query that names the operation. */
  path: string
  status: number
  operation: string
}

/**
 * The COS request behind an event. Only successful requests commit events, so the status
 * is the operation's success status; Origin/Replication/Restore Completed are emulator work.
 */
export function causingRequest(event: {
  name: ConcreteEventName | string
  bucket: string
  key: string
}): CausingRequest {
  const path = `/${event.bucket}/${event.key.split('/').map(encodeURIComponent).join('/')}`
  switch (event.name) {
    case 'cos:ObjectCreated:Put':
      return { method: 'PUT', path, status: 200, operation: 'PUT Object' }
    case 'cos:ObjectCreated:Post':
      return { method: 'POST', path: `/${event.bucket}/`, status: 204, operation: 'POST Object (form upload)' }
    case 'cos:ObjectCreated:Copy':
      return { method: 'PUT', path, status: 200, operation: 'PUT Object - Copy' }
    case 'cos:ObjectCreated:CompleteMultipartUpload':
      return { method: 'POST', path: `${path}?uploadId=…`, status: 200, operation: 'Complete Multipart Upload' }
    case 'cos:ObjectCreated:Origin':
      return { method: 'GET', path, status: 200, operation: 'GET Object (origin-pull fetched it)' }
    case 'cos:ObjectCreated:Replication':
      return { method: '(internal)', path, status: 200, operation: 'Replication from the source bucket' }
    case 'cos:ObjectRemove:Delete':
    case 'cos:ObjectRemove:DeleteMarkerCreated':
      return { method: 'DELETE', path, status: 204, operation: 'DELETE Object' }
    case 'cos:ObjectRestore:Post':
      return { method: 'POST', path: `${path}?restore`, status: 202, operation: 'POST Object restore' }
    case 'cos:ObjectRestore:Completed':
      return { method: '(internal)', path, status: 200, operation: 'Restore job completed' }
    default:
      return { method: '(internal)', path, status: 200, operation: event.name }
  }
}
