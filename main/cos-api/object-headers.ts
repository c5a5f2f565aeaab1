/**
 * Object headers between HTTP and the store: which request headers are stored with an
 * object (Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Expires,
 * x-cos-meta-* / x-amz-meta-*), and how a stored object is described in a response.
 *
 * Node hands header values over as latin1 strings; non-ASCII metadata (UTF-8 bytes on
 * the wire) is stored as real text and written back as the same bytes.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { lookup } from 'mime-types'
import type { ObjectHeaders, ObjectVersion } from '../storage/object-store.ts'
import { quoteEtag } from './xml-out.ts'

const STORED: ReadonlyArray<readonly [string, string]> = [
  ['cache-control', 'Cache-Control'],
  ['content-disposition', 'Content-Disposition'],
  ['content-encoding', 'Content-Encoding'],
  ['expires', 'Expires']
]

/**
 * The Content-Type COS stores when a write gives none: the one the key's extension names
 * (`1.zip` → application/zip, `a.txt` → text/plain), else application/octet-stream.
 */
export function contentTypeFor(key: string, given: string | undefined): string {
  if (given !== undefined && given !== '') return given
  return lookup(key) || 'application/octet-stream'
}

/** The headers to store with an object written to `key` by this request. */
export function storedHeaders(headers: IncomingHttpHeaders, key: string): ObjectHeaders {
  const out: ObjectHeaders = { 'Content-Type': contentTypeFor(key, fromWire(headers['content-type'] ?? '')) }
  for (const [lower, canonical] of STORED) {
    let value = headers[lower]
    if (typeof value !== 'string') continue
    if (lower === 'content-encoding') value = withoutAwsChunked(value)
    if (value !== '') out[canonical] = fromWire(value)
  }
  for (const name in headers) {
    if (name.startsWith('x-cos-meta-') || name.startsWith('x-amz-meta-')) {
      const value = headers[name]
      out[`x-cos-meta-${name.slice(11)}`] = fromWire(Array.isArray(value) ? value.join(',') : (value ?? ''))
    }
  }
  return out
}

/** Headers of frozen versions (the store's read cache shares them): `amz` false, true. */
const described = new WeakMap<ObjectVersion, [Readonly<Record<string, string>>?, Readonly<Record<string, string>>?]>()

/**
 * Response headers describing a stored object (GET, HEAD); read-only (copy to change them).
 * `amz` writes x-amz-* names. A frozen version's are built once and kept with it.
 */
export function objectResponseHeaders(version: ObjectVersion, amz: boolean): Readonly<Record<string, string>> {
  if (!Object.isFrozen(version)) return describe(version, amz)
  let pair = described.get(version)
  if (pair === undefined) described.set(version, (pair = []))
  const index = amz ? 1 : 0
  return (pair[index] ??= Object.freeze(describe(version, amz)))
}

function describe(version: ObjectVersion, amz: boolean): Record<string, string> {
  const out: Record<string, string> = {
    'Content-Type': version.headers['Content-Type'] || 'application/octet-stream',
    ETag: quoteEtag(version.etag),
    'Last-Modified': new Date(version.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes'
  }
  for (const name in version.headers) {
    if (name === 'Content-Type') continue
    const value = toWire(version.headers[name] as string)
    if (name.startsWith('x-cos-meta-')) out[amz ? `x-amz-meta-${name.slice(11)}` : name] = value
    else out[name] = value
  }
  const prefix = amz ? 'x-amz-' : 'x-cos-'
  if (!amz || version.storageClass !== 'STANDARD') out[`${prefix}storage-class`] = version.storageClass
  if (version.versionId !== 'null') out[`${prefix}version-id`] = version.versionId
  return out
}

function withoutAwsChunked(value: string): string {
  return value
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token.toLowerCase() !== 'aws-chunked')
    .join(', ')
}

/** latin1 (as node decodes header bytes) → text, when the bytes are valid UTF-8. */
export function fromWire(value: string): string {
  if (!/[\x80-\xff]/.test(value)) return value
  const text = Buffer.from(value, 'latin1').toString('utf8')
  return text.includes('\ufffd') ? value : text
}

/** Text → the latin1 string node writes as the same UTF-8 bytes. */
export function toWire(value: string): string {
  if (!/[^\u0020-\u007e\t]/.test(value)) return value
  return Buffer.from(value, 'utf8').toString('latin1')
}
