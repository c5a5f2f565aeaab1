/** PUT Object (bytes streamed to a blob) and DELETE Object (204, idempotent). */
import type { OutgoingHttpHeaders } from 'node:http'
import { parseStorageClass } from '../../core/cos/storage-class.ts'
import type { Exchange } from '../exchange.ts'
import { emptyResponseHeaders, headerOf, sendEmpty, sendEmptyWith } from '../exchange.ts'
import { storedHeaders } from '../object-headers.ts'
import { payloadOf } from '../request-body.ts'
import { quoteEtag } from '../xml-out.ts'
import { versionIdOf } from './object-read.ts'

export async function putObject(ex: Exchange): Promise<void> {
  const storageClass = parseStorageClass(ex.cosHeader('storage-class'))
  const contentMd5 = headerOf(ex, 'content-md5')
  const payload = payloadOf(ex)
  const version = await ex.store.putObject(
    ex.target.bucket,
    ex.target.key,
    payload.body,
    { headers: storedHeaders(ex.req.headers, ex.target.key), storageClass, contentMd5, contentLength: payload.length },
    ex.context
  )
  // one object for writeHead, properties added (see responseHeaders in exchange.ts)
  const headers = emptyResponseHeaders(ex)
  headers.ETag = quoteEtag(version.etag)
  setVersionHeader(headers, ex, version.versionId)
  sendEmptyWith(ex, 200, headers)
}

export function deleteObject(ex: Exchange): void {
  const outcome = ex.store.deleteObject(ex.target.bucket, ex.target.key, versionIdOf(ex), ex.context)
  const headers: Record<string, string> = {}
  setVersionHeader(headers, ex, outcome.versionId)
  if (outcome.deleteMarker) headers[ex.amz ? 'x-amz-delete-marker' : 'x-cos-delete-marker'] = 'true'
  sendEmpty(ex, 204, headers)
}

/** The version id header of a write's response, unless the version is 'null' (or none). */
export function versionHeader(ex: Exchange, versionId: string): Record<string, string> {
  const headers: Record<string, string> = {}
  setVersionHeader(headers, ex, versionId)
  return headers
}

/** versionHeader added to `headers` (a response's one headers object, no copy). */
export function setVersionHeader(headers: OutgoingHttpHeaders, ex: Exchange, versionId: string): void {
  if (versionId === 'null' || versionId === '') return
  headers[ex.amz ? 'x-amz-version-id' : 'x-cos-version-id'] = versionId
}
