/**
 * CORS for browser SDKs and the UI: any origin may call, and the headers clients need
 * (ETag, request and version ids) are exposed. OPTIONS preflights are answered here.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'

// '*' exposes every header (x-cos-meta-* included) to callers without credentials, which is
// how browsers call the emulator; the explicit names serve browsers that predate the wildcard.
const EXPOSED = [
  '*',
  'ETag',
  'Content-Length',
  'Content-Range',
  'x-cos-request-id',
  'x-cos-version-id',
  'x-cos-delete-marker',
  'x-cos-storage-class',
  'x-cos-hash-crc64ecma',
  'x-cos-restore',
  'x-cos-restore-status',
  'x-cos-replication-status',
  'x-amz-request-id',
  'x-amz-version-id',
  'x-amz-delete-marker'
].join(', ')

/** Added to every response. */
export const CORS_HEADERS: Readonly<OutgoingHttpHeaders> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': EXPOSED
})

/** Headers of a preflight answer (200, empty body). */
export function preflightHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, HEAD',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
    'Access-Control-Expose-Headers': EXPOSED,
    'Access-Control-Max-Age': '86400'
  }
}
