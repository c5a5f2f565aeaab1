/**
 * CORS on the COS API, as COS does it: a preflight (OPTIONS) and a cross-origin request get
 * CORS headers only when the bucket's CORS configuration has a matching rule. A bucket
 * without a configuration of its own has the default rule (loopback origins on any port,
 * plus `--cors-origin`s), shown by GET ?cors; DELETE ?cors leaves the bucket with no rules.
 * The UI's own origin is always allowed (it calls GET Service and PUT Bucket, which have no
 * bucket rules). A cross-origin write (anything but GET/HEAD) whose origin no rule allows is
 * refused, so a web page cannot use a simple request (a form POST) to write.
 */
import type { IncomingMessage } from 'node:http'
import {
  corsConfigurationXml,
  corsHeaders,
  DEFAULT_EXPOSE_HEADERS,
  defaultCorsRule,
  matchCorsRule,
  parseCorsConfiguration,
  requestedHeaders,
  type CorsRule
} from '../core/cos/cors-rules.ts'
import { CosError } from '../core/cos/errors.ts'
import type { BucketConfigs } from '../storage/bucket-configs.ts'
import { sendEmpty, sendXml, type Exchange } from './exchange.ts'
import type { Handler } from './handler.ts'
import { parseXml, readBody } from './xml-in.ts'
import { XML_DECLARATION } from './xml-out.ts'
import type { Target } from './resolve-target.ts'

/** What the UI's origin may read: every header (x-cos-meta-* included), plus the named ones for older browsers. */
const UI_EXPOSED = ['*', ...DEFAULT_EXPOSE_HEADERS].join(', ')

/** Stored in place of a configuration after DELETE ?cors: the bucket has no rules. */
const DELETED = ''
const CONFIG_NAME = 'cors'

export interface CorsPolicyOptions {
  configs: BucketConfigs
  /** Origins added to the default rule (`--cors-origin`). */
  extraOrigins?: readonly string[]
  /** Origins of the UI (the app API's addresses); always allowed. */
  uiOrigins?: () => Iterable<string>
}

export interface CorsPolicy {
  /** Headers for an OPTIONS preflight; throws the COS error when no rule allows it. */
  preflight(req: IncomingMessage, target: Target): Record<string, string>
  /**
   * Headers for an actual request (none without Origin or without a matching rule); throws
   * AccessForbidden for a cross-origin write no rule allows.
   */
  actual(req: IncomingMessage, method: string, target: Target): Record<string, string>
  /** The handler of `?cors` on a bucket (GET / PUT / DELETE), undefined for other requests. */
  configHandler(ex: Exchange): Handler | undefined
}

export function createCorsPolicy(options: CorsPolicyOptions): CorsPolicy {
  const defaults = [defaultCorsRule(options.extraOrigins)]
  const defaultXml = `${XML_DECLARATION}${corsConfigurationXml(defaults)}`
  const parsedCache = new Map<string, CorsRule[]>()

  const parse = (text: string): CorsRule[] => {
    let rules = parsedCache.get(text)
    if (rules === undefined) {
      try {
        rules = parseCorsConfiguration(parseXml(Buffer.from(text, 'utf8')))
      } catch {
        rules = []
      }
      if (parsedCache.size > 256) parsedCache.clear()
      parsedCache.set(text, rules)
    }
    return rules
  }

  /** The rules that apply to a bucket (the default for the service and for missing buckets). */
  const rulesFor = (bucket: string): CorsRule[] => {
    if (bucket === '') return defaults
    let stored: string | undefined
    try {
      stored = options.configs.get(bucket, CONFIG_NAME)
    } catch {
      return defaults // no such bucket (yet): PUT Bucket's preflight
    }
    if (stored === undefined) return defaults
    if (stored === DELETED) return []
    return parse(stored)
  }

  const isUiOrigin = (origin: string): boolean => {
    for (const ui of options.uiOrigins?.() ?? []) if (ui === origin) return true
    return false
  }

  return {
    preflight(req, target) {
      const origin = header(req, 'origin')
      const method = header(req, 'access-control-request-method')
      if (!origin) throw new CosError('InvalidRequest', 'A CORS preflight needs an Origin header.', { status: 400 })
      if (!method)
        throw new CosError('InvalidRequest', 'A CORS preflight needs an Access-Control-Request-Method header.', {
          status: 400
        })
      const asked = requestedHeaders(header(req, 'access-control-request-headers'))
      if (isUiOrigin(origin)) {
        return {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, HEAD',
          ...(asked.length > 0 ? { 'Access-Control-Allow-Headers': asked.join(', ') } : {}),
          'Access-Control-Expose-Headers': UI_EXPOSED,
          // Chromium keeps a preflight at most two hours: a reload of the UI within them sends none
          'Access-Control-Max-Age': '7200',
          Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'
        }
      }
      const request = { origin, method, requestHeaders: asked }
      const rule = matchCorsRule(rulesFor(target.bucket), request)
      if (!rule)
        throw new CosError(
          'AccessForbidden',
          `CORSResponse: the bucket's CORS rules do not allow origin ${origin} to ${method.toUpperCase()}` +
            (asked.length > 0 ? ` with headers ${asked.join(', ')}` : '') +
            ' (set them with PUT Bucket cors, or start COS Local with --cors-origin).',
          { status: 403 }
        )
      return corsHeaders(rule, request, true)
    },

    actual(req, method, target) {
      const origin = header(req, 'origin')
      if (!origin) return NO_HEADERS
      if (isUiOrigin(origin))
        return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': UI_EXPOSED, Vary: 'Origin' }
      const request = { origin, method }
      const rule = matchCorsRule(rulesFor(target.bucket), request)
      if (rule) return corsHeaders(rule, request, false)
      if (method !== 'GET' && method !== 'HEAD')
        throw new CosError(
          'AccessForbidden',
          `CORSResponse: the bucket's CORS rules do not allow origin ${origin} to ${method}.`,
          { status: 403 }
        )
      return {}
    },

    configHandler(ex) {
      if (ex.target.bucket === '' || ex.target.key !== '' || !ex.query.has('cors')) return undefined
      switch (ex.method) {
        case 'GET':
          return () => {
            const stored = options.configs.get(ex.target.bucket, CONFIG_NAME)
            if (stored === DELETED)
              throw new CosError('NoSuchCORSConfiguration', 'The CORS configuration does not exist.', { status: 404 })
            sendXml(ex, 200, stored ?? defaultXml)
          }
        case 'PUT':
          return async () => {
            ex.store.getBucket(ex.target.bucket)
            const body = await readBody(ex.req)
            parseCorsConfiguration(parseXml(body))
            options.configs.put(ex.target.bucket, CONFIG_NAME, body.toString('utf8'))
            sendEmpty(ex, 200)
          }
        case 'DELETE':
          return () => {
            options.configs.put(ex.target.bucket, CONFIG_NAME, DELETED)
            sendEmpty(ex, 204)
          }
      }
      return undefined
    }
  }
}

/** What a request without Origin gets (shared: callers only read it). */
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  const text = Array.isArray(value) ? value.join(',') : value
  return text === undefined || text.trim() === '' ? undefined : text.trim()
}
