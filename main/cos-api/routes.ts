/**
 * The COS operations COS Local answers, one row each, in the order of the COS API reference:
 * (method, resource, header condition) → handler. The resource is the level the request
 * targets (service, bucket, object) and the sub-resource its query names (`bucket?uploads`,
 * `object?uploadId`); dispatch.ts finds the row. Adding an operation is one row here and its
 * handler in handlers/.
 *
 * What a request without a row answers:
 *   - a sub-resource with no row at that level (`?select`, `?cors` on an object, any
 *     valueless unknown name): 501 NotImplemented;
 *   - a method with no row on a resource that has rows: 405 MethodNotAllowed, except the
 *     combinations in UNROUTED_NOT_IMPLEMENTED below, which answer 501 NotImplemented.
 */
import type { Handler } from './handler.ts'
import { getBucketAcl, putBucketAcl, storedDocumentHandlers, type StoredDocument } from './handlers/bucket-config.ts'
import { deleteBucket, getBucketLocation, headBucket, putBucket } from './handlers/bucket.ts'
import { listObjects } from './handlers/bucket-listing.ts'
import { copyObject } from './handlers/copy.ts'
import { deleteMultiple } from './handlers/delete-multiple.ts'
import {
  abortUpload,
  completeUpload,
  initiateUpload,
  listParts,
  listUploads,
  uploadPart,
  uploadPartCopy
} from './handlers/multipart.ts'
import {
  deleteObjectTagging,
  getObjectAcl,
  getObjectTagging,
  putObjectAcl,
  putObjectTagging
} from './handlers/object-config.ts'
import { deleteObject, putObject } from './handlers/object-write.ts'
import {
  deleteBucketOrigin,
  getBucketOrigin,
  getObjectOrOrigin,
  headObjectOrOrigin,
  putBucketOrigin
} from './handlers/origin.ts'
import { postObject } from './handlers/post-object.ts'
import { deleteBucketReplication, getBucketReplication, putBucketReplication } from './handlers/replication.ts'
import { restoreObject } from './handlers/restore.ts'
import { listBuckets } from './handlers/service.ts'
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './handlers/versioning.ts'

export type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE'
export type Level = 'service' | 'bucket' | 'object'
/** A level, with the sub-resource the query names: `bucket`, `bucket?acl`, `object?uploadId`. */
export type Resource = Level | `${Level}?${string}`

export interface Route {
  method: Method
  resource: Resource
  /** The operation's name in the COS API reference. */
  operation: string
  handler: Handler
  /** A request header (x-cos- or x-amz- form, named without the prefix) the row needs. */
  header?: string
}

function route(method: Method, resource: Resource, operation: string, handler: Handler, header?: string): Route {
  return header === undefined
    ? { method, resource, operation, handler }
    : { method, resource, operation, handler, header }
}

/** PUT, GET and DELETE of a bucket sub-resource stored as a document (handlers/bucket-config.ts). */
function storedDocument(name: StoredDocument): Route[] {
  const handlers = storedDocumentHandlers(name)
  return (['PUT', 'GET', 'DELETE'] as const).map((method) =>
    route(method, `bucket?${name}`, `${method} Bucket ${name}`, handlers[method])
  )
}

/**
 * `?cors` is read by every request's CORS check, so the server's CORS policy (cors.ts) answers
 * GET, PUT and DELETE of it before this table is consulted; its rows here name the operations
 * (and make other methods 405). Reaching this handler means that order was broken.
 */
function answeredByCorsPolicy(): never {
  throw new Error('?cors is answered by the CORS policy (cors.ts) before the route table.')
}

export const ROUTES: readonly Route[] = [
  // Service
  route('GET', 'service', 'GET Service (List Buckets)', listBuckets),
  route('HEAD', 'service', 'GET Service, headers only', listBuckets),

  // Bucket
  route('PUT', 'bucket', 'PUT Bucket', putBucket),
  route('HEAD', 'bucket', 'HEAD Bucket', headBucket),
  route('DELETE', 'bucket', 'DELETE Bucket', deleteBucket),
  route('GET', 'bucket', 'GET Bucket (List Objects, v1 and v2)', listObjects),
  route('GET', 'bucket?versions', 'GET Bucket Object versions', listObjectVersions),
  route('GET', 'bucket?location', 'GET Bucket location', getBucketLocation),

  // Bucket sub-resources
  route('PUT', 'bucket?versioning', 'PUT Bucket versioning', putBucketVersioning),
  route('GET', 'bucket?versioning', 'GET Bucket versioning', getBucketVersioning),
  route('PUT', 'bucket?acl', 'PUT Bucket acl', putBucketAcl),
  route('GET', 'bucket?acl', 'GET Bucket acl', getBucketAcl),
  route('PUT', 'bucket?cors', 'PUT Bucket cors', answeredByCorsPolicy),
  route('GET', 'bucket?cors', 'GET Bucket cors', answeredByCorsPolicy),
  route('DELETE', 'bucket?cors', 'DELETE Bucket cors', answeredByCorsPolicy),
  ...storedDocument('lifecycle'),
  ...storedDocument('policy'),
  ...storedDocument('tagging'),
  ...storedDocument('referer'),
  ...storedDocument('website'),
  ...storedDocument('domain'),
  ...storedDocument('logging'),
  ...storedDocument('inventory'),
  ...storedDocument('encryption'),
  ...storedDocument('object-lock'),
  ...storedDocument('accelerate'),
  ...storedDocument('intelligenttiering'),
  ...storedDocument('notification'),
  route('PUT', 'bucket?origin', 'PUT Bucket origin', putBucketOrigin),
  route('GET', 'bucket?origin', 'GET Bucket origin', getBucketOrigin),
  route('DELETE', 'bucket?origin', 'DELETE Bucket origin', deleteBucketOrigin),
  route('PUT', 'bucket?replication', 'PUT Bucket replication', putBucketReplication),
  route('GET', 'bucket?replication', 'GET Bucket replication', getBucketReplication),
  route('DELETE', 'bucket?replication', 'DELETE Bucket replication', deleteBucketReplication),

  // Object
  route('PUT', 'object', 'PUT Object', putObject),
  route('PUT', 'object', 'PUT Object - Copy', copyObject, 'copy-source'),
  route('POST', 'bucket', 'POST Object (form upload)', postObject),
  route('GET', 'object', 'GET Object (origin-pull on a miss)', getObjectOrOrigin),
  route('HEAD', 'object', 'HEAD Object (origin-pull on a miss)', headObjectOrOrigin),
  route('DELETE', 'object', 'DELETE Object', deleteObject),
  route('POST', 'bucket?delete', 'DELETE Multiple Objects', deleteMultiple),
  route('POST', 'object?restore', 'POST Object restore', restoreObject),
  route('PUT', 'object?acl', 'PUT Object acl', putObjectAcl),
  route('GET', 'object?acl', 'GET Object acl', getObjectAcl),
  route('PUT', 'object?tagging', 'PUT Object tagging', putObjectTagging),
  route('GET', 'object?tagging', 'GET Object tagging', getObjectTagging),
  route('DELETE', 'object?tagging', 'DELETE Object tagging', deleteObjectTagging),

  // Multipart upload
  route('GET', 'bucket?uploads', 'List Multipart Uploads', listUploads),
  route('POST', 'object?uploads', 'Initiate Multipart Upload', initiateUpload),
  route('PUT', 'object?uploadId', 'Upload Part', uploadPart),
  route('PUT', 'object?uploadId', 'Upload Part - Copy', uploadPartCopy, 'copy-source'),
  route('GET', 'object?uploadId', 'List Parts', listParts),
  route('POST', 'object?uploadId', 'Complete Multipart Upload', completeUpload),
  route('DELETE', 'object?uploadId', 'Abort Multipart Upload', abortUpload)
]

/** Methods without a row that answer 501 NotImplemented instead of 405 (all methods when none is named). */
export const UNROUTED_NOT_IMPLEMENTED: readonly { resource: Resource; method?: Method }[] = [
  { resource: 'bucket?versions' },
  { resource: 'bucket?location' },
  { resource: 'bucket?versioning' },
  { resource: 'bucket?delete' },
  { resource: 'bucket?uploads' },
  { resource: 'object?uploads' },
  { resource: 'object', method: 'POST' }
]
