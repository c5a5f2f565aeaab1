/**
 * One request/response pair with what every handler needs: the target, the query, the
 * request id and context for events, the store, and writers for COS responses. Every
 * response carries Date (of the emulated clock), x-cos-request-id and Server: tencent-cos,
 * all three from baseHeaders (CORS headers are set by cors.ts). Writing them in writeHead's
 * one object instead of res.setHeader keeps node on its fast path for the headers.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { bucketHost } from '../core/cos/bucket-name.ts'
import type { CosError } from '../core/cos/errors.ts'
import { escapeXml } from '../core/cos/xml-escape.ts'
import type { RequestContext, StorageService } from '../storage/create-storage.ts'
import type { CosFeatures } from './features.ts'
import type { Target } from './resolve-target.ts'
import type { PageBytes } from './xml-bytes.ts'
import { XML_DECLARATION } from './xml-out.ts'

export interface Exchange {
  req: IncomingMessage
  res: ServerResponse
  method: string
  target: Target
  query: URLSearchParams
  requestId: string
  /** The Date header: the emulated clock's time when the request arrived. */
  date: string
  context: RequestContext
  store: StorageService
  /** Answer with x-amz-* header names (the request came from an S3 client). */
  amz: boolean
  /** Region of the Host, else of the SigV4 scope, else the default. */
  region: string
  /** A header in its x-cos- form, or the x-amz- equivalent (`name` without the prefix). */
  cosHeader(name: string): string | undefined
  /** Credentials, clock and the storage features beside the store (restore, configs, replication). */
  features: CosFeatures
}

export function baseHeaders(ex: Pick<Exchange, 'requestId' | 'amz' | 'date'>): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    Date: ex.date,
    'x-cos-request-id': ex.requestId,
    Server: 'tencent-cos'
  }
  if (ex.amz) headers['x-amz-request-id'] = ex.requestId
  return headers
}

/**
 * baseHeaders, Content-Length, then `extra` (later names win, as in `{ ...a, ...b }`). Built by
 * adding properties, not by spreading: in Node 20 an object literal that spreads one object
 * and then names more properties gets a new hidden class on every call (≈ 1–2 µs here).
 */
function responseHeaders(
  ex: Pick<Exchange, 'requestId' | 'amz' | 'date'>,
  contentLength: number,
  extra: OutgoingHttpHeaders,
  contentType?: string
): OutgoingHttpHeaders {
  const headers = baseHeaders(ex)
  if (contentType !== undefined) headers['Content-Type'] = contentType
  headers['Content-Length'] = contentLength
  addHeaders(headers, extra)
  return headers
}

/** Copy `extra`'s own headers into `headers` (replacing those of the same name). */
export function addHeaders(headers: OutgoingHttpHeaders, extra: OutgoingHttpHeaders): void {
  for (const name in extra) {
    if (Object.hasOwn(extra, name)) headers[name] = extra[name]
  }
}

/**
 * `xml`: the document, or its UTF-8 bytes; bytes from xml-bytes.ts are released once the
 * response was handed to the socket (a response that never finishes keeps its buffer).
 */
export function sendXml(
  ex: Exchange,
  status: number,
  xml: string | Buffer | PageBytes,
  extra: OutgoingHttpHeaders = {}
): void {
  const page = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml
  const body = Buffer.isBuffer(page) ? page : page.body
  ex.res.writeHead(status, responseHeaders(ex, body.length, extra, 'application/xml'))
  if (Buffer.isBuffer(page)) ex.res.end(ex.method === 'HEAD' ? undefined : body)
  else if (ex.method === 'HEAD') {
    ex.res.end()
    page.release()
  } else ex.res.end(body, page.release)
}

/** baseHeaders and `Content-Length: 0`, for a handler to add its own and send with sendEmptyWith. */
export function emptyResponseHeaders(ex: Pick<Exchange, 'requestId' | 'amz' | 'date'>): OutgoingHttpHeaders {
  return responseHeaders(ex, 0, NO_EXTRA)
}

const NO_EXTRA: OutgoingHttpHeaders = Object.freeze({})

/** An empty response with `headers` (from emptyResponseHeaders) as they are: one object, no copy. */
export function sendEmptyWith(ex: Exchange, status: number, headers: OutgoingHttpHeaders): void {
  ex.res.writeHead(status, headers)
  ex.res.end()
}

export function sendEmpty(ex: Exchange, status: number, extra: OutgoingHttpHeaders = NO_EXTRA): void {
  sendEmptyWith(ex, status, responseHeaders(ex, 0, extra))
}

/** COS error XML with all five nodes (Code, Message, Resource, RequestId, TraceId). */
export function sendError(
  ex: Pick<Exchange, 'req' | 'res' | 'requestId' | 'date' | 'amz' | 'method' | 'target' | 'region'>,
  error: CosError
): void {
  const resource = resourceOf(ex.target, ex.region)
  const xml =
    `${XML_DECLARATION}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${ex.requestId}</RequestId>` +
    `<TraceId>${traceId()}</TraceId></Error>`
  const body = Buffer.from(xml, 'utf8')
  if (ex.res.headersSent) {
    ex.res.destroy()
    return
  }
  ex.res.writeHead(
    error.status,
    responseHeaders(ex, body.length, ex.amz ? withAmzNames(error.headers) : error.headers, 'application/xml')
  )
  ex.res.end(ex.method === 'HEAD' || error.status === 304 ? undefined : body)
}

/** x-cos-* headers with their x-amz-* twins, for S3 clients. */
function withAmzNames(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers }
  for (const name in headers) {
    if (name.startsWith('x-cos-')) out[`x-amz-${name.slice(6)}`] = headers[name] as string
  }
  return out
}

function resourceOf(target: Target, region: string): string {
  if (target.bucket === '') return '/'
  const host = bucketHost(target.bucket, region)
  return target.key === '' ? host : `${host}/${target.key}`
}

function traceId(): string {
  return Buffer.from(`${Date.now().toString(16)}_${Math.random().toString(16).slice(2, 14)}`).toString('base64')
}

/** A request header as one string (repeated headers joined), undefined when absent. */
export function headerOf(ex: Pick<Exchange, 'req'>, name: string): string | undefined {
  const value = ex.req.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}
