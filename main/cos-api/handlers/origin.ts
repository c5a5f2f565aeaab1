/**
 * Origin-pull (回源): `PUT/GET/DELETE /?origin` store the rules (core/cos/origin.ts), and a
 * GET of a missing key consults them:
 *   Mirror   fetch from the origin, store the object (cos:ObjectCreated:Origin), serve it
 *   Proxy    stream the origin's answer back without storing it
 *   Redirect answer 301/302/307 with Location on the origin
 * Origin failures answer a COS error that says what went wrong.
 */
import { pipeline } from 'node:stream/promises'
import { CosError } from '../../core/cos/errors.ts'
import {
  originConfigurationXml,
  originRequestHeaders,
  originUrls,
  parseOriginConfiguration,
  pickOriginRule,
  type OriginRule
} from '../../core/cos/origin.ts'
import type { Exchange } from '../exchange.ts'
import { baseHeaders, sendEmpty, sendXml } from '../exchange.ts'
import { getObject, headObject, versionIdOf } from './object-read.ts'
import { fromWire } from '../object-headers.ts'
import { fetchOrigin, OriginUnreachable, type OriginResponse } from '../origin-fetch.ts'
import { parseXml, readBody } from '../xml-in.ts'
import { xmlDocument } from '../xml-out.ts'

const CONFIG = 'origin'

export async function putBucketOrigin(ex: Exchange): Promise<void> {
  const rules = parseOriginConfiguration(parseXml(await readBody(ex.req)))
  ex.features.configs.put(ex.target.bucket, CONFIG, JSON.stringify(rules))
  sendEmpty(ex, 200)
}

export function getBucketOrigin(ex: Exchange): void {
  sendXml(ex, 200, xmlDocument('OriginConfiguration', originConfigurationXml(rulesOf(ex, true))))
}

export function deleteBucketOrigin(ex: Exchange): void {
  ex.features.configs.delete(ex.target.bucket, CONFIG)
  sendEmpty(ex, 204)
}

function rulesOf(ex: Exchange, required: boolean): OriginRule[] {
  const text = ex.features.configs.get(ex.target.bucket, CONFIG)
  if (text === undefined) {
    if (!required) return []
    throw new CosError('OriginConfigurationNotFoundError', 'The origin configuration does not exist.')
  }
  return JSON.parse(text) as OriginRule[]
}

type Read = (ex: Exchange) => void | Promise<void>

/** GET Object, falling back to the bucket's origin rules when the key is missing. */
export function getObjectOrOrigin(ex: Exchange): Promise<void> {
  return readOrOrigin(ex, getObject)
}

/** HEAD Object, with the same origin-pull as GET (COS pulls on HEAD too). */
export function headObjectOrOrigin(ex: Exchange): Promise<void> {
  return readOrOrigin(ex, headObject)
}

async function readOrOrigin(ex: Exchange, read: Read): Promise<void> {
  try {
    await read(ex)
    return
  } catch (error) {
    if (!(error instanceof CosError) || error.code !== 'NoSuchKey' || versionIdOf(ex) !== undefined) throw error
    const rule = pickOriginRule(rulesOf(ex, false), ex.target.key, 404)
    if (!rule) throw error
    await pullFromOrigin(ex, rule, error, read)
  }
}

async function pullFromOrigin(ex: Exchange, rule: OriginRule, miss: CosError, read: Read): Promise<void> {
  const query = [...ex.query].filter(([name]) => !name.startsWith('response-'))
  const urls = originUrls(rule, ex.target.key, { protocol: 'http', query })
  if (rule.type === 'Redirect') {
    sendEmpty(ex, Number(rule.httpRedirectCode), { Location: urls[0] })
    return
  }
  const headers = originRequestHeaders(rule, ex.req.headers)
  if (rule.type === 'Mirror') {
    // Mirror stores the whole object, then serves it like any GET (Range, conditions).
    for (const name of ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since']) {
      delete headers[name]
    }
  }
  let origin: OriginResponse
  try {
    origin = await fetchOrigin(urls, headers, rule.followRedirection)
  } catch (error) {
    if (!(error instanceof OriginUnreachable)) throw error
    throw new CosError('NoSuchKey', `The specified key does not exist, and origin-pull failed: ${error.message}`)
  }
  if (origin.status >= 300) {
    origin.body.resume()
    if (origin.status < 400) {
      sendEmpty(ex, origin.status, { Location: String(origin.headers.location ?? '') })
      return
    }
    const message = `The specified key does not exist; the origin ${origin.url} answered ${origin.status}.`
    throw rule.transparentErrorCode
      ? new CosError(origin.status === 404 ? 'NoSuchKey' : 'AccessDenied', message, { status: origin.status })
      : new CosError(miss.code, message, { headers: miss.headers })
  }
  if (rule.type === 'Proxy') {
    ex.res.writeHead(200, { ...baseHeaders(ex), ...passedHeaders(origin) })
    if (ex.req.method === 'HEAD') {
      origin.body.destroy()
      ex.res.end()
      return
    }
    try {
      await pipeline(origin.body, ex.res)
    } catch {
      // origin or client went away mid-body; the connection is closed
    }
    return
  }
  const length = origin.headers['content-length']
  await ex.store.putObject(
    ex.target.bucket,
    ex.target.key,
    origin.body,
    {
      headers: storedOriginHeaders(origin),
      storageClass: 'STANDARD',
      contentLength: length === undefined || !/^\d+$/.test(length) ? undefined : Number(length),
      event: 'cos:ObjectCreated:Origin'
    },
    ex.context
  )
  await read(ex)
}

const PASSED = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-disposition',
  'cache-control',
  'expires',
  'etag',
  'last-modified'
]

function passedHeaders(origin: OriginResponse): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of PASSED) {
    const value = origin.headers[name]
    if (typeof value === 'string') out[name] = value
  }
  return out
}

function storedOriginHeaders(origin: OriginResponse): Record<string, string> {
  const h = origin.headers
  const out: Record<string, string> = { 'Content-Type': fromWire(h['content-type'] ?? '') }
  const keep: [string, string][] = [
    ['cache-control', 'Cache-Control'],
    ['content-disposition', 'Content-Disposition'],
    ['content-encoding', 'Content-Encoding'],
    ['expires', 'Expires']
  ]
  for (const [lower, canonical] of keep) {
    const value = h[lower]
    if (typeof value === 'string' && value !== '') out[canonical] = fromWire(value)
  }
  return out
}
