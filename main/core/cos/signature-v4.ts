/**
 * AWS Signature Version 4 for S3 clients (aws-sdk, boto3, awscli, s3cmd, rclone's S3 mode),
 * in both forms:
 *   header:    Authorization: AWS4-HMAC-SHA256 Credential=AK/date/region/s3/aws4_request,
 *              SignedHeaders=a;b, Signature=hex   (+ x-amz-date, x-amz-content-sha256)
 *   presigned: ?X-Amz-Algorithm&X-Amz-Credential&X-Amz-Date&X-Amz-Expires
 *              &X-Amz-SignedHeaders&X-Amz-Signature
 * The payload hash is taken as declared (a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-*
 * value); the body itself is not hashed and aws-chunked chunk signatures are not checked.
 */
import { hmacSha256, sha256Hex, toHex, type Bytes } from '../digest.ts'
import {
  decodePath,
  EXPIRED_MESSAGE,
  failure,
  type SecretLookup,
  type SignableRequest,
  type SignatureCheck
} from './signature-check.ts'
import { headerText, hostVariants, strictUriEncode } from './uri-encode.ts'

export const AWS4_ALGORITHM = 'AWS4-HMAC-SHA256'
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
/** Longest presigned validity S3 accepts: 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600
const MAX_SKEW_MS = 15 * 60 * 1000

export interface V4Authorization {
  accessKeyId: string
  /** `date/region/service/aws4_request` */
  scope: string
  signedHeaders: string[]
  signature: string
  /** `YYYYMMDDTHHMMSSZ` */
  amzDate: string
  /** Presigned only: validity in seconds. */
  expires?: number
  /** Declared payload hashes to try, in order. */
  payloadHashes: string[]
  source: 'header' | 'query'
}

function lowerQuery(request: SignableRequest): Map<string, string> {
  const map = new Map<string, string>()
  for (const [name, value] of request.query) {
    const lower = name.toLowerCase()
    if (!map.has(lower)) map.set(lower, value)
  }
  return map
}

/** Whether a request carries a SigV4 signature (header or presigned). */
export function hasV4(request: SignableRequest): boolean {
  const auth = headerText(request.headers['authorization'])
  if (auth !== undefined && auth.trimStart().startsWith(AWS4_ALGORITHM)) return true
  return request.query.length > 0 && lowerQuery(request).has('x-amz-signature')
}

/** Convert an HTTP date (the `Date` header) to SigV4's basic ISO form. */
function toAmzDate(httpDate: string): string | undefined {
  const ms = Date.parse(httpDate)
  if (Number.isNaN(ms)) return undefined
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

export function parseAmzDate(amzDate: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate)
  if (!m) return undefined
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])
}

type Parsed = V4Authorization | { error: string }

/** Find and parse the SigV4 fields of a request. */
export function findV4(request: SignableRequest): Parsed {
  const auth = headerText(request.headers['authorization'])
  if (auth !== undefined && auth.trimStart().startsWith(AWS4_ALGORITHM)) {
    const fields = new Map<string, string>()
    for (const part of auth.trim().slice(AWS4_ALGORITHM.length).split(',')) {
      const eq = part.indexOf('=')
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
    }
    const credential = fields.get('Credential')
    const signedHeaders = fields.get('SignedHeaders')
    const signature = fields.get('Signature')
    if (!credential || !signedHeaders || !signature) {
      return { error: 'The Authorization header needs Credential, SignedHeaders and Signature.' }
    }
    const amzDate = headerText(request.headers['x-amz-date']) ?? toAmzDate(headerText(request.headers['date']) ?? '')
    if (!amzDate) return { error: 'A SigV4 request needs an x-amz-date or Date header.' }
    const declared = headerText(request.headers['x-amz-content-sha256'])
    return {
      ...splitCredential(credential),
      signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
      signature: signature.toLowerCase(),
      amzDate,
      payloadHashes: declared !== undefined ? [declared] : [EMPTY_SHA256, UNSIGNED_PAYLOAD],
      source: 'header'
    }
  }
  const query = lowerQuery(request)
  const algorithm = query.get('x-amz-algorithm')
  if (algorithm !== AWS4_ALGORITHM) {
    return { error: `X-Amz-Algorithm must be ${AWS4_ALGORITHM}, got "${algorithm ?? ''}".` }
  }
  const credential = query.get('x-amz-credential')
  const amzDate = query.get('x-amz-date')
  const expires = query.get('x-amz-expires')
  const signedHeaders = query.get('x-amz-signedheaders')
  const signature = query.get('x-amz-signature')
  if (!credential || !amzDate || !expires || !signedHeaders || !signature) {
    return {
      error:
        'A presigned URL needs X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders ' +
        'and X-Amz-Signature.'
    }
  }
  const declared = query.get('x-amz-content-sha256')
  return {
    ...splitCredential(credential),
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature: signature.toLowerCase(),
    amzDate,
    expires: Number(expires),
    payloadHashes: declared !== undefined ? [declared] : [UNSIGNED_PAYLOAD, EMPTY_SHA256],
    source: 'query'
  }
}

function splitCredential(credential: string): { accessKeyId: string; scope: string } {
  const slash = credential.indexOf('/')
  return slash < 0
    ? { accessKeyId: credential, scope: '' }
    : { accessKeyId: credential.slice(0, slash), scope: credential.slice(slash + 1) }
}

/** S3's canonical URI: each segment of the decoded path URI-encoded once, `/` kept. */
export function canonicalUri(rawPath: string): string {
  return decodePath(rawPath || '/')
    .split('/')
    .map(strictUriEncode)
    .join('/')
}

function canonicalQuery(request: SignableRequest, dropSignature: boolean): string {
  const pairs: [string, string][] = []
  for (const [name, value] of request.query) {
    if (dropSignature && name.toLowerCase() === 'x-amz-signature') continue
    pairs.push([strictUriEncode(name), strictUriEncode(value)])
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

const hmac = hmacSha256

export function signingKey(secretKey: string, scope: string): Bytes {
  const [date = '', region = '', service = '', terminator = ''] = scope.split('/')
  return hmac(hmac(hmac(hmac('AWS4' + secretKey, date), region), service), terminator)
}

export interface V4Parts {
  canonicalRequest: string
  stringToSign: string
  signature: string
}

/** Compute canonical request, string-to-sign and signature from prepared pieces. */
export function computeV4(input: {
  secretKey: string
  method: string
  canonicalUri: string
  canonicalQuery: string
  /** Lower-case name → value, exactly the signed headers. */
  headers: ReadonlyArray<readonly [string, string]>
  payloadHash: string
  amzDate: string
  scope: string
}): V4Parts {
  const headerLines = input.headers.map(([name, value]) => `${name}:${value.trim().replace(/\s+/g, ' ')}\n`).join('')
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.canonicalUri,
    input.canonicalQuery,
    headerLines,
    input.headers.map(([name]) => name).join(';'),
    input.payloadHash
  ].join('\n')
  const stringToSign = [AWS4_ALGORITHM, input.amzDate, input.scope, sha256Hex(canonicalRequest)].join('\n')
  const signature = toHex(hmac(signingKey(input.secretKey, input.scope), stringToSign))
  return { canonicalRequest, stringToSign, signature }
}

/**
 * Verify a SigV4 request. `nowMs` comes from the Clock. Checks in order: well-formed →
 * known access key → time (skew for the header form, X-Amz-Expires for presigned) →
 * signature.
 */
export function verifyV4(request: SignableRequest, secretFor: SecretLookup, nowMs: number): SignatureCheck {
  const auth = findV4(request)
  if ('error' in auth) return failure('AccessDenied', auth.error)
  if (auth.scope.split('/').length !== 4) {
    return failure(
      'AccessDenied',
      `The Credential "${auth.accessKeyId}/${auth.scope}" must be <AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request.`
    )
  }
  const secretKey = secretFor(auth.accessKeyId)
  if (secretKey === undefined) {
    return failure(
      'InvalidAccessKeyId',
      `The access key id "${auth.accessKeyId}" you provided does not exist in our records.`
    )
  }
  const signedAt = parseAmzDate(auth.amzDate)
  if (signedAt === undefined) {
    return failure('AccessDenied', `X-Amz-Date "${auth.amzDate}" must look like 20260101T120000Z.`)
  }
  if (auth.source === 'query') {
    const expires = auth.expires ?? NaN
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) {
      return failure(
        'AccessDenied',
        `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGN_SECONDS}.`
      )
    }
    if (nowMs > signedAt + expires * 1000) {
      return failure('AccessDenied', EXPIRED_MESSAGE)
    }
    if (signedAt - nowMs > MAX_SKEW_MS) {
      return failure(
        'RequestTimeTooSkewed',
        `The URL is signed for ${new Date(signedAt).toISOString()}, more than 15 minutes ` +
          `after the time now, ${new Date(nowMs).toISOString()}.`
      )
    }
  } else if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    return failure(
      'RequestTimeTooSkewed',
      `The difference between the request time (${new Date(signedAt).toISOString()}) and the ` +
        `server's time (${new Date(nowMs).toISOString()}) is more than 15 minutes.`
    )
  }

  const query = canonicalQuery(request, auth.source === 'query')
  const uris = [...new Set([canonicalUri(request.rawPath), request.rawPath || '/'])]
  const headerValue = (name: string) => headerText(request.headers[name]) ?? ''
  const hosts = auth.signedHeaders.includes('host') ? hostVariants(headerText(request.headers.host)) : ['']
  let first: V4Parts | undefined
  for (const uri of uris) {
    for (const host of hosts) {
      const headers = auth.signedHeaders.map((name) => [name, name === 'host' ? host : headerValue(name)] as const)
      for (const payloadHash of auth.payloadHashes) {
        const parts = computeV4({
          secretKey,
          method: request.method,
          canonicalUri: uri,
          canonicalQuery: query,
          headers,
          payloadHash,
          amzDate: auth.amzDate,
          scope: auth.scope
        })
        if (parts.signature === auth.signature) {
          return { ok: true, accessKeyId: auth.accessKeyId, scheme: 'aws4' }
        }
        first ??= parts
      }
    }
  }
  return failure(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. ' +
      'Check your key and signing method.',
    first?.stringToSign ?? '',
    first?.canonicalRequest ?? ''
  )
}
