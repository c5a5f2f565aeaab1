/**
 * The domain event the storage service emits for every object change, committed in the
 * same transaction as the metadata change that caused it. The event bus turns it into
 * SCF's COS event JSON for each matching trigger.
 */

/** Concrete event names: what actually happened. Triggers may also use the `*` forms. */
export const CONCRETE_EVENT_NAMES = [
  'cos:ObjectCreated:Put',
  'cos:ObjectCreated:Post',
  'cos:ObjectCreated:Copy',
  'cos:ObjectCreated:CompleteMultipartUpload',
  'cos:ObjectCreated:Origin',
  'cos:ObjectCreated:Replication',
  'cos:ObjectRemove:Delete',
  'cos:ObjectRemove:DeleteMarkerCreated',
  'cos:ObjectRestore:Post',
  'cos:ObjectRestore:Completed'
] as const

export type ConcreteEventName = (typeof CONCRETE_EVENT_NAMES)[number]

export interface ObjectEvent {
  name: ConcreteEventName
  /** Full bucket name, `<name>-<appid>`. */
  bucket: string
  /** Long region name, e.g. `ap-guangzhou`. */
  region: string
  /** Object key, not encoded. */
  key: string
  /** Version id of the created version or delete marker; '' for unversioned buckets. */
  versionId: string
  size: number
  etag: string
  /**
   * What SCF puts in `cosObject.meta` besides `x-cos-request-id`: Content-Type,
   * Cache-Control, Content-Disposition, Content-Encoding, Expires and every x-cos-meta-*,
   * header names kept as sent.
   */
  meta: Record<string, string>
  /** x-cos-request-id of the COS request that caused the event. */
  requestId: string
  sourceIp: string
  /** The request's Authorization header ('' when unsigned). */
  authorization: string
  /** Epoch milliseconds (emulated clock). */
  time: number
}
