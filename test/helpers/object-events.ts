/** Builds ObjectEvents and commits them to a real EventQueue, as the storage service does. */
import type { ConcreteEventName, ObjectEvent } from '../../main/core/events/object-event.ts'
import type { EventQueue } from '../../main/store/event-queue.ts'

let counter = 0

export function objectEvent(name: ConcreteEventName, key: string, partial: Partial<ObjectEvent> = {}): ObjectEvent {
  counter++
  return {
    name,
    bucket: 'photos-1250000000',
    region: 'ap-guangzhou',
    key,
    versionId: '',
    size: 11,
    etag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"',
    meta: { 'Content-Type': 'text/plain', 'x-cos-meta-owner': 'test' },
    requestId: Buffer.from(`test_${counter}`).toString('base64'),
    sourceIp: '127.0.0.1',
    authorization: '',
    time: Date.now(),
    ...partial
  }
}

/** Append in one transaction and wake the bus, like a COS write. */
export function commitEvents(queue: EventQueue, events: ObjectEvent[]): void {
  queue.db.transaction(() => queue.append(events))()
  queue.notify()
}
