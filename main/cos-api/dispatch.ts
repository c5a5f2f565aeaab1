/**
 * Which handler answers a request: by target (service, bucket, object), method and
 * sub-resource. Sub-resources we do not implement, and unknown valueless query names
 * (which S3/COS use for sub-resources), answer 501 NotImplemented.
 */
import { CosError } from '../core/cos/errors.ts'
import type { Exchange } from './exchange.ts'
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
  uploadPart
} from './handlers/multipart.ts'
import { deleteObject, putObject } from './handlers/object-write.ts'
import { listBuckets } from './handlers/service.ts'
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './handlers/versioning.ts'
import { postObject } from './handlers/post-object.ts'
import { restoreObject } from './handlers/restore.ts'
import { getObjectOrOrigin, headObjectOrOrigin } from './handlers/origin.ts'
import { subresourceHandler } from './subresources.ts'

import type { Handler } from './handler.ts'

/** Query names that are parameters, not sub-resources. */
const PARAMETERS = new Set([
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'list-type',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'key-marker',
  'upload-id-marker',
  'version-id-marker',
  'max-uploads',
  'max-parts',
  'part-number-marker',
  'versionId',
  'partNumber',
  'uploadId',
  'x-id',
  'sign',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding'
])

/** Sub-resources this server implements. */
const IMPLEMENTED = new Set(['uploads', 'delete', 'location', 'uploadId', 'restore', 'versioning', 'versions'])

function isParameter(name: string): boolean {
  return (
    PARAMETERS.has(name) ||
    name.startsWith('q-') ||
    name.toLowerCase().startsWith('x-amz-') ||
    name.startsWith('x-cos-')
  )
}

/** The first unimplemented sub-resource named by the query, if any. */
function unimplementedSubresource(query: URLSearchParams): string | undefined {
  for (const [name, value] of query) {
    if (IMPLEMENTED.has(name) || isParameter(name)) continue
    if (value === '' || KNOWN_SUBRESOURCES.has(name)) return name
  }
  return undefined
}

const KNOWN_SUBRESOURCES = new Set([
  'acl',
  'cors',
  'lifecycle',
  'policy',
  'tagging',
  'website',
  'referer',
  'logging',
  'inventory',
  'encryption',
  'replication',
  'origin',
  'restore',
  'select',
  'append',
  'torrent',
  'object-lock',
  'retention',
  'domain',
  'accelerate',
  'intelligenttiering',
  'notification',
  'requestPayment',
  'ownershipControls',
  'publicAccessBlock',
  'attributes',
  'legal-hold'
])

export function chooseHandler(ex: Exchange): Handler {
  const { method, query, target } = ex
  const feature = subresourceHandler(ex)
  if (feature) return feature
  const sub = unimplementedSubresource(query)
  if (sub !== undefined) {
    throw new CosError('NotImplemented', `The ${method} ?${sub} operation is not implemented by COS Local.`)
  }
  if (target.bucket === '') {
    if (method === 'GET' || method === 'HEAD') return listBuckets
    throw notAllowed(method, 'the service')
  }
  if (target.key === '') {
    if (query.has('uploads') && method === 'GET') return listUploads
    if (query.has('delete') && method === 'POST') return deleteMultiple
    if (query.has('location') && method === 'GET') return getBucketLocation
    if (query.has('versioning') && method === 'GET') return getBucketVersioning
    if (query.has('versioning') && method === 'PUT') return putBucketVersioning
    if (query.has('versions') && method === 'GET') return listObjectVersions
    if (['uploads', 'delete', 'location', 'uploadId', 'versioning', 'versions'].some((name) => query.has(name))) {
      throw notImplemented(method, query)
    }
    switch (method) {
      case 'GET':
        return listObjects
      case 'HEAD':
        return headBucket
      case 'PUT':
        return putBucket
      case 'DELETE':
        return deleteBucket
      case 'POST':
        if (/^multipart\/form-data/i.test(ex.req.headers['content-type'] ?? '')) return postObject
        throw new CosError('MalformedPOSTRequest', 'POST Object needs a multipart/form-data body.')
    }
    throw notAllowed(method, 'a bucket')
  }
  if (query.has('uploadId')) {
    switch (method) {
      case 'PUT':
        return uploadPart
      case 'POST':
        return completeUpload
      case 'DELETE':
        return abortUpload
      case 'GET':
        return listParts
    }
    throw notAllowed(method, 'a multipart upload')
  }
  if (query.has('uploads')) {
    if (method === 'POST') return initiateUpload
    throw notImplemented(method, query)
  }
  if (['delete', 'location', 'versioning', 'versions'].some((name) => query.has(name)))
    throw notImplemented(method, query)
  switch (method) {
    case 'GET':
      return getObjectOrOrigin
    case 'HEAD':
      return headObjectOrOrigin
    case 'PUT':
      return ex.cosHeader('copy-source') !== undefined ? copyObject : putObject
    case 'DELETE':
      return deleteObject
    case 'POST':
      if (query.has('restore')) return restoreObject
      throw new CosError('NotImplemented', 'This POST operation on an object is not implemented by COS Local.')
  }
  throw notAllowed(method, 'an object')
}

function notAllowed(method: string, what: string): CosError {
  return new CosError('MethodNotAllowed', `The method ${method} is not allowed against ${what}.`)
}

function notImplemented(method: string, query: URLSearchParams): CosError {
  const names = [...query.keys()].filter((name) => !isParameter(name)).join('&')
  return new CosError('NotImplemented', `The operation ${method} ?${names} is not implemented by COS Local.`)
}
