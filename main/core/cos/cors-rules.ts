/**
 * Bucket CORS as COS applies it (PUT Bucket cors, doc 436/8279): a configuration is a list
 * of rules; a request from a browser matches the first rule whose AllowedOrigin matches its
 * Origin (`*` is a wildcard), whose AllowedMethod lists its method, and (for a preflight)
 * whose AllowedHeader patterns cover every header it asks for. Only a match earns CORS
 * headers; the response then names the origin, the rule's methods, the asked headers, the
 * rule's ExposeHeader list and MaxAgeSeconds.
 */
import { CosError } from './errors.ts'
import { escapeXml } from './xml-escape.ts'
import { asArray, childText, unwrapRoot } from './xml-shape.ts'

export interface CorsRule {
  id?: string
  allowedOrigins: string[]
  allowedMethods: string[]
  allowedHeaders: string[]
  exposeHeaders: string[]
  maxAgeSeconds?: number
}

export interface CorsRequest {
  origin: string
  /** The method (for a preflight: Access-Control-Request-Method). */
  method: string
  /** Header names a preflight asks for (Access-Control-Request-Headers), lower or any case. */
  requestHeaders?: readonly string[]
}

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const
const MAX_RULES = 100

/** `*` matches any run of characters; comparison ignores case (origins and header names). */
export function wildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase()
  const v = value.toLowerCase()
  if (!p.includes('*')) return p === v
  const parts = p.split('*')
  const first = parts[0] as string
  const last = parts[parts.length - 1] as string
  if (!v.startsWith(first) || v.length < first.length + last.length) return false
  let at = first.length
  for (let i = 1; i < parts.length - 1; i++) {
    const found = v.indexOf(parts[i] as string, at)
    if (found < 0) return false
    at = found + (parts[i] as string).length
  }
  return v.length - last.length >= at && v.endsWith(last)
}

/** Parse a Access-Control-Request-Headers value into names. */
export function requestedHeaders(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

/** The first rule that allows this origin, method and (preflight) headers. */
export function matchCorsRule(rules: readonly CorsRule[], request: CorsRequest): CorsRule | undefined {
  const method = request.method.toUpperCase()
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((origin) => wildcardMatch(origin, request.origin)) &&
      rule.allowedMethods.some((allowed) => allowed.toUpperCase() === method) &&
      (request.requestHeaders ?? []).every((name) =>
        rule.allowedHeaders.some((pattern) => wildcardMatch(pattern, name))
      )
  )
}

/** Response headers for a request that matched `rule` (preflight adds methods, headers, max age). */
export function corsHeaders(rule: CorsRule, request: CorsRequest, preflight: boolean): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*')
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': anyOrigin ? '*' : request.origin,
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'
  }
  if (rule.exposeHeaders.length > 0) headers['Access-Control-Expose-Headers'] = rule.exposeHeaders.join(', ')
  if (preflight) {
    headers['Access-Control-Allow-Methods'] = rule.allowedMethods.join(', ')
    if (request.requestHeaders && request.requestHeaders.length > 0)
      headers['Access-Control-Allow-Headers'] = request.requestHeaders.join(', ')
    if (rule.maxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.maxAgeSeconds)
  }
  return headers
}

/**
 * Rules of a parsed `<CORSConfiguration>` (fast-xml-parser output). Throws MalformedXML or
 * InvalidArgument (as COS does) when a rule lacks an origin or method or names an unknown method.
 */
export function parseCorsConfiguration(parsed: unknown): CorsRule[] {
  const root = unwrapRoot(parsed, 'CORSConfiguration')
  if (root === undefined) throw new CosError('MalformedXML', 'The request body must be a <CORSConfiguration> element.')
  const nodes = asArray(root.CORSRule)
  if (nodes.length === 0) throw new CosError('MalformedXML', 'A CORS configuration needs at least one <CORSRule>.')
  if (nodes.length > MAX_RULES)
    throw new CosError('InvalidArgument', `A CORS configuration has at most ${MAX_RULES} rules, got ${nodes.length}.`)
  return nodes.map((node, index) => {
    const texts = (name: string): string[] =>
      asArray((node as Record<string, unknown>)?.[name])
        .map((value) => childText({ v: value }, 'v') ?? '')
        .filter((value) => value !== '')
    const rule: CorsRule = {
      allowedOrigins: texts('AllowedOrigin'),
      allowedMethods: texts('AllowedMethod').map((method) => method.toUpperCase()),
      allowedHeaders: texts('AllowedHeader'),
      exposeHeaders: texts('ExposeHeader')
    }
    const id = childText(node, 'ID')
    if (id) rule.id = id
    if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0)
      throw new CosError('MalformedXML', `CORS rule ${index + 1} needs an <AllowedOrigin> and an <AllowedMethod>.`)
    const unknown = rule.allowedMethods.find((method) => !(CORS_METHODS as readonly string[]).includes(method))
    if (unknown !== undefined)
      throw new CosError(
        'InvalidArgument',
        `CORS rule ${index + 1}: AllowedMethod "${unknown}" is not one of ${CORS_METHODS.join(', ')}.`
      )
    const maxAge = childText(node, 'MaxAgeSeconds')
    if (maxAge !== undefined && maxAge !== '') {
      if (!/^\d{1,9}$/.test(maxAge))
        throw new CosError('InvalidArgument', `CORS rule ${index + 1}: MaxAgeSeconds must be a whole number.`)
      rule.maxAgeSeconds = Number(maxAge)
    }
    return rule
  })
}

/** Loopback page origins (any port, http and https): local dev servers and the README snippet. */
export const LOOPBACK_ORIGINS = [
  'http://localhost',
  'http://localhost:*',
  'http://127.0.0.1',
  'http://127.0.0.1:*',
  'http://[::1]',
  'http://[::1]:*',
  'https://localhost',
  'https://localhost:*',
  'https://127.0.0.1',
  'https://127.0.0.1:*',
  'https://[::1]',
  'https://[::1]:*'
]

/** Response headers browsers may read: what the SDKs need (ETag for multipart) and COS's own. */
export const DEFAULT_EXPOSE_HEADERS = [
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
  'x-cos-server-side-encryption',
  'x-amz-request-id',
  'x-amz-version-id',
  'x-amz-delete-marker'
]

/** The rule a bucket has until its owner sets one: loopback origins plus `--cors-origin`s. */
export function defaultCorsRule(extraOrigins: readonly string[] = []): CorsRule {
  return {
    id: 'cos-local-default',
    allowedOrigins: [...LOOPBACK_ORIGINS, ...extraOrigins],
    allowedMethods: [...CORS_METHODS],
    allowedHeaders: ['*'],
    exposeHeaders: [...DEFAULT_EXPOSE_HEADERS],
    maxAgeSeconds: 600
  }
}

/** A configuration as COS returns it from GET Bucket cors. */
export function corsConfigurationXml(rules: readonly CorsRule[]): string {
  const rule = (r: CorsRule): string =>
    '<CORSRule>' +
    (r.id ? `<ID>${escapeXml(r.id)}</ID>` : '') +
    r.allowedOrigins.map((v) => `<AllowedOrigin>${escapeXml(v)}</AllowedOrigin>`).join('') +
    r.allowedMethods.map((v) => `<AllowedMethod>${escapeXml(v)}</AllowedMethod>`).join('') +
    r.allowedHeaders.map((v) => `<AllowedHeader>${escapeXml(v)}</AllowedHeader>`).join('') +
    r.exposeHeaders.map((v) => `<ExposeHeader>${escapeXml(v)}</ExposeHeader>`).join('') +
    (r.maxAgeSeconds !== undefined ? `<MaxAgeSeconds>${r.maxAgeSeconds}</MaxAgeSeconds>` : '') +
    '</CORSRule>'
  return `<CORSConfiguration>${rules.map(rule).join('')}</CORSConfiguration>`
}
