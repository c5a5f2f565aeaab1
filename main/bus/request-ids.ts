/**
 * Request ids of deliveries: UUIDs (SCF's request id shape) whose first 48 bits are the time in
 * ms, as in a version 7 UUID, the rest random. Ids made close in time sort close together, so
 * the indexes keyed by request id (the invocation's primary key, its log rows') take a burst's
 * new entries on their last page or two instead of on a random page each.
 */
import { randomUUID } from 'node:crypto'
import { formatOnChange } from '../core/format-on-change.ts'

/** `tttttttt-tttt-7` of the time in ms, formatted once per millisecond. */
const timePrefix = formatOnChange((ms) => {
  const time = ms.toString(16).padStart(12, '0').slice(-12)
  return `${time.slice(0, 8)}-${time.slice(8)}-7`
})

export function timeOrderedUuid(now = Date.now()): string {
  // xxxxxxxx-xxxx-4xxx-…: the first 12 hex digits become the time, the version digit 7
  return timePrefix(Math.max(0, Math.floor(now))) + randomUUID().slice(15)
}
