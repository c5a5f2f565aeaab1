/** Build the ObjectEvent a committed change emits (see core/events/object-event.ts). */
import type { ConcreteEventName, ObjectEvent } from '../core/events/object-event.ts'
import type { ObjectHeaders, RequestContext } from '../store/object-types.ts'

export interface EventSubject {
  bucket: string
  region: string
  key: string
  versionId: string
  size: number
  etag: string
  headers: ObjectHeaders
}

export function objectEvent(
  name: ConcreteEventName,
  subject: EventSubject,
  ctx: RequestContext,
  time: number
): ObjectEvent {
  return {
    name,
    bucket: subject.bucket,
    region: subject.region,
    key: subject.key,
    versionId: subject.versionId === 'null' ? '' : subject.versionId,
    size: subject.size,
    etag: subject.etag,
    meta: { ...subject.headers },
    requestId: ctx.requestId,
    sourceIp: ctx.sourceIp,
    authorization: ctx.authorization,
    time
  }
}
