/** The storage service's public types: what cos-api and the app see of the object store. */
import type { StorageClass } from '../core/cos/storage-class.ts'
import type { ConcreteEventName } from '../core/events/object-event.ts'

/** Who asked: copied into every ObjectEvent a request causes. */
export interface RequestContext {
  requestId: string
  sourceIp: string
  /** The request's Authorization header ('' when unsigned). */
  authorization: string
}

export type VersioningStatus = '' | 'Enabled' | 'Suspended'

export interface BucketInfo {
  /** `<name>-<appid>`. */
  name: string
  region: string
  createdAt: number
  versioning: VersioningStatus
}

/**
 * Stored headers of an object: Content-Type (always present, '' when none was sent) and any
 * of Cache-Control, Content-Disposition, Content-Encoding, Expires, and x-cos-meta-* (names
 * lower-case). Exactly what an ObjectEvent's `meta` carries.
 */
export type ObjectHeaders = Record<string, string>

export interface ObjectVersion {
  bucket: string
  key: string
  /** 'null' for objects written while versioning was never enabled or is suspended. */
  versionId: string
  isLatest: boolean
  isDeleteMarker: boolean
  blobId: string | null
  size: number
  /** Hex MD5 (or `<hex>-<parts>`) without quotes. */
  etag: string
  lastModified: number
  storageClass: StorageClass
  headers: ObjectHeaders
}

/** One entry of a listing page. */
export interface ObjectSummary {
  key: string
  size: number
  etag: string
  lastModified: number
  storageClass: string
}

export interface PutObjectOptions {
  headers: ObjectHeaders
  storageClass: StorageClass
  /** Content-MD5 header (base64) to check the bytes against. */
  contentMd5?: string
  /** Expected body length (Content-Length or x-amz-decoded-content-length). */
  contentLength?: number
  /** The event the write emits (default cos:ObjectCreated:Put): Post, Origin, Replication. */
  event?: Extract<ConcreteEventName, `cos:ObjectCreated:${string}`>
  /** Keep this version id (replication) when the bucket has versioning enabled. */
  versionId?: string
}

export interface CopyObjectOptions {
  sourceBucket: string
  sourceKey: string
  sourceVersionId?: string
  /** 'Copy' keeps the source headers; 'Replaced' uses `headers`. */
  metadataDirective: 'Copy' | 'Replaced'
  headers: ObjectHeaders
  storageClass?: StorageClass
  /** Checked against the source (x-cos-copy-source-If-*); false → 412. */
  sourceCondition?: (source: ObjectVersion) => boolean
}

export interface DeleteOutcome {
  key: string
  /** Version id removed or created (delete marker); '' when unversioned. */
  versionId: string
  deleteMarker: boolean
  deleteMarkerVersionId: string
}

export interface DeleteError {
  key: string
  versionId: string
  code: string
  message: string
}

export interface MultipartUpload {
  uploadId: string
  bucket: string
  key: string
  initiated: number
  storageClass: StorageClass
  headers: ObjectHeaders
}

export interface UploadedPart {
  partNumber: number
  etag: string
  size: number
  lastModified: number
}

export interface ListPartsResult {
  upload: MultipartUpload
  parts: UploadedPart[]
  isTruncated: boolean
  nextPartNumberMarker: number
}

export interface ListUploadsParams {
  prefix: string
  delimiter: string
  keyMarker: string
  uploadIdMarker: string
  maxUploads: number
}

export interface ListUploadsResult {
  uploads: MultipartUpload[]
  commonPrefixes: string[]
  isTruncated: boolean
  nextKeyMarker: string
  nextUploadIdMarker: string
}
