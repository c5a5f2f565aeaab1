/**
 * GET and HEAD Object: conditional requests (304/412), Range (206/416), response-*
 * overrides, and the bytes streamed from the blob. GET of a small object's latest version
 * takes a synchronous path (the store's read cache, no promise) and builds its headers in
 * one object: the common 4 KiB GET costs little more than node's own HTTP work.
 */
import type { OutgoingHttpHeaders } from 'node:http'
import { evaluateConditions, type Conditions } from '../../core/cos/conditional.ts'
import { CosError } from '../../core/cos/errors.ts'
import { contentRange, evaluateRange } from '../../core/cos/range.ts'
import type { ObjectVersion } from '../../storage/object-store.ts'
import type { Exchange } from '../exchange.ts'
import { baseHeaders, sendEmpty } from '../exchange.ts'
import { objectResponseHeaders, toWire } from '../object-headers.ts'

const OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ['response-content-type', 'Content-Type'],
  ['response-content-language', 'Content-Language'],
  ['response-expires', 'Expires'],
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding']
]

export function getObject(ex: Exchange): Promise<void> | void {
  const versionId = versionIdOf(ex)
  const inline = versionId === undefined ? ex.store.readLatestInline(ex.target.bucket, ex.target.key) : undefined
  if (inline === undefined) return getStoredObject(ex, versionId)
  ex.features.restores.assertReadable(inline.version)
  sendInMemory(ex, planResponse(ex, inline.version), inline.bytes)
}

/** Answer a planned GET whose bytes are in memory (an inline or small object). */
function sendInMemory(ex: Exchange, plan: Plan, bytes: Buffer): void {
  if (plan.status === 304 || plan.length === 0) {
    sendEmpty(ex, plan.status, plan.headers)
    return
  }
  ex.res.writeHead(plan.status, plan.headers)
  ex.res.end(plan.length === bytes.length ? bytes : bytes.subarray(plan.start, plan.start + plan.length))
}

/**
 * GET of anything but an inline latest version (getObject has looked for that already): a
 * version id, a blob file, composites.
 */
async function getStoredObject(ex: Exchange, versionId: string | undefined): Promise<void> {
  const { version, reader, bytes } = await ex.store.readObject(ex.target.bucket, ex.target.key, versionId)
  let plan: Plan
  try {
    ex.features.restores.assertReadable(version)
    plan = planResponse(ex, version)
  } catch (error) {
    reader?.close()
    throw error
  }
  if (bytes !== undefined) {
    sendInMemory(ex, plan, bytes)
    return
  }
  if (plan.status === 304 || plan.length === 0) {
    reader.close()
    sendEmpty(ex, plan.status, plan.headers)
    return
  }
  ex.res.writeHead(plan.status, plan.headers)
  try {
    await reader.send(ex.res, plan.start, plan.start + plan.length - 1)
  } catch {
    // the client went away or the disk failed mid-body: the connection is closed
  }
}

export function headObject(ex: Exchange): void {
  const version = ex.store.headObject(ex.target.bucket, ex.target.key, versionIdOf(ex))
  const plan = planResponse(ex, version)
  ex.res.writeHead(plan.status, plan.headers)
  ex.res.end()
}

export function versionIdOf(ex: Exchange): string | undefined {
  const id = ex.query.get('versionId')
  return id === null || id === '' ? undefined : id
}

interface Plan {
  status: number
  /** The response's headers, baseHeaders included (a 304's: those, ETag and Last-Modified). */
  headers: OutgoingHttpHeaders
  start: number
  length: number
}

function planResponse(ex: Exchange, version: ObjectVersion): Plan {
  const h = ex.req.headers
  const described = objectResponseHeaders(version, ex.amz)
  const conditional =
    h['if-match'] !== undefined ||
    h['if-none-match'] !== undefined ||
    h['if-modified-since'] !== undefined ||
    h['if-unmodified-since'] !== undefined
  if (conditional) {
    const conditions: Conditions = {
      ifMatch: h['if-match'],
      ifNoneMatch: h['if-none-match'],
      ifModifiedSince: h['if-modified-since'],
      ifUnmodifiedSince: h['if-unmodified-since']
    }
    const outcome = evaluateConditions(conditions, version.etag, version.lastModified)
    if (outcome === 'precondition-failed') {
      throw new CosError('PreconditionFailed', 'At least one of the preconditions you specified did not hold.')
    }
    if (outcome === 'not-modified') {
      return {
        status: 304,
        headers: { ...baseHeaders(ex), ETag: described.ETag, 'Last-Modified': described['Last-Modified'] },
        start: 0,
        length: 0
      }
    }
  }
  const headers = baseHeaders(ex)
  Object.assign(
    headers,
    described,
    ex.features.restores.headersFor(version),
    ex.features.replication.headersFor(version, ex.amz)
  )
  if (ex.query.size > 0) {
    for (const [param, header] of OVERRIDES) {
      const value = ex.query.get(param)
      if (value !== null) headers[header] = toWire(value)
    }
  }
  const range = evaluateRange(h.range, version.size)
  if (range.kind === 'unsatisfiable') {
    throw new CosError('InvalidRange', 'The requested range is not satisfiable.', {
      headers: { 'Content-Range': `bytes */${version.size}` }
    })
  }
  if (range.kind === 'partial') {
    const length = range.end - range.start + 1
    headers['Content-Range'] = contentRange(range.start, range.end, version.size)
    headers['Content-Length'] = length
    return { status: 206, headers, start: range.start, length }
  }
  headers['Content-Length'] = version.size
  return { status: 200, headers, start: 0, length: version.size }
}
