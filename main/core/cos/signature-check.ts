/**
 * What a request-signature verifier needs from a request, and what it answers. Shared by
 * the COS q-sign verifier (signature-qsign.ts) and the AWS SigV4 verifier
 * (signature-v4.ts), so the HTTP layer handles both the same way.
 */

/**
 * The 403 codes COS uses for signature problems (COS error list, 436/7730). An expired
 * signature is AccessDenied with the message exactly "Request has expired": the official SDKs
 * match that pair to correct their clock and retry (see EXPIRED_MESSAGE).
 */
export type SignatureErrorCode =
  'SignatureDoesNotMatch' | 'RequestTimeTooSkewed' | 'InvalidAccessKeyId' | 'AccessDenied'

/** The message of the AccessDenied for an expired signature, matched verbatim by the SDKs. */
export const EXPIRED_MESSAGE = 'Request has expired'

export interface SignatureFailure {
  ok: false
  code: SignatureErrorCode
  message: string
  /** The string-to-sign we computed ('' when we never got that far), for the 403 body. */
  stringToSign: string
  /** The canonical request (SigV4) or HttpString (q-sign) behind stringToSign, or ''. */
  canonicalRequest: string
}

export interface SignatureSuccess {
  ok: true
  accessKeyId: string
  scheme: 'q-sign' | 'aws4'
}

export type SignatureCheck = SignatureSuccess | SignatureFailure

/** The parts of an HTTP request a signature covers. */
export interface SignableRequest {
  method: string
  /** The request path as received, still percent-encoded, without the query string. */
  rawPath: string
  /**
   * Set when the bucket was taken from the first path segment (path-style request):
   * clients may have signed the path with or without it, so both are tried.
   */
  pathStyleBucket?: string
  /** Query parameters, decoded, in order of appearance. */
  query: ReadonlyArray<readonly [string, string]>
  /** Request headers with lower-case names, as node's IncomingHttpHeaders. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>
}

/** The secret key of an access key id, or undefined when the id is unknown. */
export type SecretLookup = (accessKeyId: string) => string | undefined

export function failure(
  code: SignatureErrorCode,
  message: string,
  stringToSign = '',
  canonicalRequest = ''
): SignatureFailure {
  return { ok: false, code, message, stringToSign, canonicalRequest }
}

/** Decode a percent-encoded path; a malformed escape leaves the path as it is. */
export function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath)
  } catch {
    return rawPath
  }
}

/** The decoded path, and the same path without a leading path-style bucket segment. */
export function pathCandidates(request: SignableRequest): string[] {
  const full = decodePath(request.rawPath) || '/'
  const bucket = request.pathStyleBucket
  if (bucket === undefined) return [full]
  const prefix = '/' + bucket
  if (full === prefix) return ['/', full]
  if (full.startsWith(prefix + '/')) return [full.slice(prefix.length), full]
  return [full]
}
