/**
 * COS request signature "q-sign" (HMAC-SHA1), as cos-nodejs-sdk-v5 computes it
 * (reference cos-scf.md §4.1):
 *
 *   SignKey      = hex HMAC-SHA1(SecretKey, KeyTime)
 *   HttpString   = lower(method) \n pathname \n params \n headers \n
 *   StringToSign = "sha1" \n SignTime \n hex SHA1(HttpString) \n
 *   Signature    = hex HMAC-SHA1(SignKey, StringToSign)
 *
 * The pathname is `/` + the decoded key (not URL-encoded). Only the params and headers the
 * client lists in q-url-param-list / q-header-list take part. The signature comes in the
 * Authorization header or, for presigned URLs, as query parameters (or one `sign` param).
 */
import { hmacSha1, sha1Hex, toHex } from '../digest.ts'
import {
  EXPIRED_MESSAGE,
  failure,
  pathCandidates,
  type SecretLookup,
  type SignableRequest,
  type SignatureCheck
} from './signature-check.ts'
import { headerText, hostVariants, strictUriEncode } from './uri-encode.ts'

/** How far the start of a signature's time window may lie in the future (COS: 15 min). */
export const MAX_CLOCK_SKEW_SECONDS = 15 * 60

export interface QSignAuthorization {
  algorithm: string
  accessKeyId: string
  signTime: string
  keyTime: string
  headerList: string[]
  urlParamList: string[]
  signature: string
  /** Where the signature was found. */
  source: 'header' | 'query'
}

const FIELDS = [
  'q-sign-algorithm',
  'q-ak',
  'q-sign-time',
  'q-key-time',
  'q-header-list',
  'q-url-param-list',
  'q-signature'
] as const

function splitList(list: string): string[] {
  return list === '' ? [] : list.split(';').map((item) => item.trim().toLowerCase())
}

function fromFields(get: (name: string) => string | undefined, source: 'header' | 'query') {
  const values = FIELDS.map(get)
  if (values.some((value) => value === undefined)) return undefined
  const [algorithm, accessKeyId, signTime, keyTime, headerList, urlParamList, signature] = values as string[]
  return {
    algorithm,
    accessKeyId,
    signTime,
    keyTime,
    headerList: splitList(headerList),
    urlParamList: splitList(urlParamList),
    signature: signature.toLowerCase(),
    source
  } satisfies QSignAuthorization
}

/** Parse `q-sign-algorithm=sha1&q-ak=…&…&q-signature=…`; undefined when a field is missing. */
export function parseQSignString(text: string, source: 'header' | 'query' = 'header'): QSignAuthorization | undefined {
  const fields = new Map<string, string>()
  for (const part of text.trim().split('&')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim())
  }
  return fromFields((name) => fields.get(name), source)
}

/** Whether a request carries a q-sign signature at all (header, query fields or `sign`). */
export function hasQSign(request: SignableRequest): boolean {
  const auth = headerText(request.headers['authorization'])
  if (auth !== undefined && /q-sign-algorithm=/i.test(auth)) return true
  return request.query.some(([name]) => {
    const lower = name.toLowerCase()
    return lower === 'q-sign-algorithm' || lower === 'sign'
  })
}

/** Find the q-sign fields in the Authorization header or the query string. */
export function findQSign(request: SignableRequest): QSignAuthorization | undefined {
  const auth = headerText(request.headers['authorization'])
  if (auth !== undefined && /q-sign-algorithm=/i.test(auth)) return parseQSignString(auth)
  const query = new Map<string, string>()
  for (const [name, value] of request.query) query.set(name.toLowerCase(), value)
  const sign = query.get('sign')
  if (sign !== undefined && !query.has('q-sign-algorithm')) return parseQSignString(sign, 'query')
  return fromFields((name) => query.get(name), 'query')
}

/** `k=v&k=v` over the listed names, values taken from `lookup` (SDK's obj2str). */
function canonicalPairs(names: string[], lookup: (name: string) => string | undefined): string {
  return [...names]
    .sort()
    .map((name) => `${name}=${strictUriEncode(lookup(name) ?? '')}`)
    .join('&')
}

function hmacSha1Hex(key: string, message: string): string {
  return toHex(hmacSha1(key, message))
}

export interface QSignParts {
  httpString: string
  stringToSign: string
  signature: string
}

/** Compute HttpString, StringToSign and Signature for the given pieces. */
export function computeQSign(input: {
  secretKey: string
  method: string
  pathname: string
  /** The `k=v&k=v` strings of the listed params and headers (already encoded, sorted). */
  params: string
  headers: string
  keyTime: string
  signTime: string
}): QSignParts {
  const httpString = [input.method.toLowerCase(), input.pathname, input.params, input.headers, ''].join('\n')
  const digest = sha1Hex(httpString)
  const stringToSign = ['sha1', input.signTime, digest, ''].join('\n')
  const signKey = hmacSha1Hex(input.secretKey, input.keyTime)
  return { httpString, stringToSign, signature: hmacSha1Hex(signKey, stringToSign) }
}

function parseWindow(text: string): [number, number] | undefined {
  const match = /^\s*(\d+)\s*;\s*(\d+)\s*$/.exec(text)
  if (!match) return undefined
  const start = Number(match[1])
  const end = Number(match[2])
  return start <= end ? [start, end] : undefined
}

/**
 * Verify the q-sign signature of a request. `nowMs` comes from the Clock.
 * Checks in order: well-formed → known access key → time window → signature.
 */
export function verifyQSign(request: SignableRequest, secretFor: SecretLookup, nowMs: number): SignatureCheck {
  const auth = findQSign(request)
  if (!auth) {
    return failure(
      'AccessDenied',
      'The q-sign authorization is incomplete: it needs q-sign-algorithm, q-ak, q-sign-time, ' +
        'q-key-time, q-header-list, q-url-param-list and q-signature.'
    )
  }
  if (auth.algorithm.toLowerCase() !== 'sha1') {
    return failure('AccessDenied', `q-sign-algorithm must be sha1, got "${auth.algorithm}".`)
  }
  const secretKey = secretFor(auth.accessKeyId)
  if (secretKey === undefined) {
    return failure(
      'InvalidAccessKeyId',
      `The SecretId "${auth.accessKeyId}" you provided does not exist in our records.`
    )
  }
  const signWindow = parseWindow(auth.signTime)
  const keyWindow = parseWindow(auth.keyTime)
  if (!signWindow || !keyWindow) {
    return failure(
      'AccessDenied',
      `q-sign-time "${auth.signTime}" and q-key-time "${auth.keyTime}" must be "<start>;<end>" ` +
        'in Unix seconds with start <= end.'
    )
  }
  const now = Math.floor(nowMs / 1000)
  const start = Math.max(signWindow[0], keyWindow[0])
  const end = Math.min(signWindow[1], keyWindow[1])
  if (now > end) {
    return failure('AccessDenied', EXPIRED_MESSAGE)
  }
  if (start - now > MAX_CLOCK_SKEW_SECONDS) {
    return failure(
      'RequestTimeTooSkewed',
      `The difference between the request time and the server's time is too large: the ` +
        `signature starts at ${start} (${isoSeconds(start)}), the time now is ${now} ` +
        `(${isoSeconds(now)}).`
    )
  }

  const query = new Map<string, string>()
  for (const [name, value] of request.query) {
    const key = strictUriEncode(name).toLowerCase()
    if (!query.has(key)) query.set(key, value)
  }
  const params = canonicalPairs(auth.urlParamList, (name) => query.get(name))
  const headerValues = new Map<string, string>()
  for (const [name, value] of Object.entries(request.headers)) {
    const text = headerText(value)
    if (text !== undefined) headerValues.set(strictUriEncode(name).toLowerCase(), text)
  }
  const hosts = auth.headerList.includes('host') ? hostVariants(headerValues.get('host')) : ['']

  let first: ReturnType<typeof computeQSign> | undefined
  for (const pathname of pathCandidates(request)) {
    for (const host of hosts) {
      const headers = canonicalPairs(auth.headerList, (name) => (name === 'host' ? host : headerValues.get(name)))
      const parts = computeQSign({
        secretKey,
        method: request.method,
        pathname,
        params,
        headers,
        keyTime: auth.keyTime,
        signTime: auth.signTime
      })
      if (parts.signature === auth.signature) {
        return { ok: true, accessKeyId: auth.accessKeyId, scheme: 'q-sign' }
      }
      first ??= parts
    }
  }
  return failure(
    'SignatureDoesNotMatch',
    'The Signature you specified is invalid. We computed it over the StringToSign and ' +
      'HttpString below (only the headers in q-header-list and params in q-url-param-list ' +
      'take part; the pathname is the decoded key).',
    first?.stringToSign ?? '',
    first?.httpString ?? ''
  )
}

function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString()
}

/**
 * Sign a request as cos-js-sdk-v5's getAuthorization callback describes it (the app API signs
 * for saved remote connections, so the SecretKey never reaches the page). Valid from `nowMs`
 * minus a minute for `expiresSeconds`.
 */
export function signQSign(input: {
  secretId: string
  secretKey: string
  method: string
  pathname: string
  query: Record<string, string>
  headers: Record<string, string>
  nowMs: number
  expiresSeconds?: number
}): string {
  const start = Math.floor(input.nowMs / 1000) - 60
  const time = `${start};${start + 60 + (input.expiresSeconds ?? 900)}`
  const lower = (record: Record<string, string>): Map<string, string> =>
    new Map(Object.entries(record).map(([name, value]) => [strictUriEncode(name).toLowerCase(), String(value)]))
  const query = lower(input.query)
  const headers = lower(input.headers)
  const paramNames = [...query.keys()].sort()
  const headerNames = [...headers.keys()].sort()
  const { signature } = computeQSign({
    secretKey: input.secretKey,
    method: input.method,
    pathname: input.pathname,
    params: canonicalPairs(paramNames, (name) => query.get(name)),
    headers: canonicalPairs(headerNames, (name) => headers.get(name)),
    keyTime: time,
    signTime: time
  })
  return [
    'q-sign-algorithm=sha1',
    `q-ak=${input.secretId}`,
    `q-sign-time=${time}`,
    `q-key-time=${time}`,
    `q-header-list=${headerNames.join(';')}`,
    `q-url-param-list=${paramNames.join(';')}`,
    `q-signature=${signature}`
  ].join('&')
}
