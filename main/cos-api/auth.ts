/**
 * Request signatures. `authenticate` finds the scheme (COS q-sign or AWS SigV4, in the
 * Authorization header or a presigned query) and records the access key. When the
 * server is given credentials it also verifies the signature (core/cos/verify-request.ts)
 * and rejects with COS's 403 codes; without credentials (open mode) everything passes.
 */
import type { IncomingMessage } from 'node:http'
import { CosError } from '../core/cos/errors.ts'
import type { SignableRequest, SignatureFailure } from '../core/cos/signature-check.ts'
import { findQSign } from '../core/cos/signature-qsign.ts'
import { findV4 } from '../core/cos/signature-v4.ts'
import { signatureScheme, verifyRequestSignature, type SignatureScheme } from '../core/cos/verify-request.ts'

export interface AuthInfo {
  scheme: SignatureScheme
  /** The access key the request was signed with ('' when unsigned). */
  accessKeyId: string
  /** SigV4 only: the region of the credential scope. */
  scopeRegion: string | undefined
  /** What an ObjectEvent records: the Authorization header, or the presigned query's signature fields. */
  authorization: string
}

export interface Credential {
  secretId: string
  secretKey: string
}

export interface AuthRequest {
  req: IncomingMessage
  rawPath: string
  rawQuery: string
  query: URLSearchParams
  pathStyleBucket: string | undefined
  /**
   * A browser form upload (POST Object): its signature travels in the form fields and is
   * checked by the POST handler, so an unsigned request is not rejected here.
   */
  formUpload?: boolean
}

export type Authenticator = (request: AuthRequest, nowMs: number) => AuthInfo

const NO_QUERY: ReadonlyArray<readonly [string, string]> = []

export function createAuthenticator(credentials: Credential[] | undefined): Authenticator {
  const secrets = new Map((credentials ?? []).map((c) => [c.secretId, c.secretKey]))
  return function authenticate(request, nowMs) {
    const signable: SignableRequest = {
      method: request.req.method ?? 'GET',
      rawPath: request.rawPath,
      pathStyleBucket: request.pathStyleBucket,
      query: request.rawQuery === '' ? NO_QUERY : [...request.query],
      headers: request.req.headers
    }
    const info = parseAuth(signable, request.rawQuery)
    if (secrets.size > 0 && !(request.formUpload && info.scheme === 'none')) {
      const check = verifyRequestSignature(signable, (id) => secrets.get(id), nowMs)
      if (!check.ok) throw signatureError(check, info.scheme)
    }
    return info
  }
}

/**
 * The 403 for a failed check. For SignatureDoesNotMatch the message ends with what we
 * signed, so users can diff it against their signer's: StringToSign and the HttpString
 * (q-sign) or CanonicalRequest (SigV4), newlines shown as \n.
 */
export function signatureError(check: SignatureFailure, scheme: SignatureScheme): CosError {
  let message = check.message
  if (check.stringToSign) message += ` StringToSign: ${JSON.stringify(check.stringToSign)}`
  if (check.canonicalRequest) {
    message += ` ${scheme === 'aws4' ? 'CanonicalRequest' : 'HttpString'}: ${JSON.stringify(check.canonicalRequest)}`
  }
  return new CosError(check.code, message, { status: 403 })
}

/** Parse (never verify) the signature fields of a request. */
export function parseAuth(request: SignableRequest, rawQuery: string): AuthInfo {
  const header = request.headers['authorization']
  const authorization = typeof header === 'string' ? header : ''
  const scheme = signatureScheme(request)
  if (scheme === 'q-sign') {
    const parsed = findQSign(request)
    return {
      scheme,
      accessKeyId: parsed?.accessKeyId ?? '',
      scopeRegion: undefined,
      authorization: authorization || presignedFields(rawQuery)
    }
  }
  if (scheme === 'aws4') {
    const parsed = findV4(request)
    const ok = 'accessKeyId' in parsed
    return {
      scheme,
      accessKeyId: ok ? parsed.accessKeyId : '',
      scopeRegion: ok ? parsed.scope.split('/')[1] : undefined,
      authorization: authorization || presignedFields(rawQuery)
    }
  }
  return { scheme, accessKeyId: '', scopeRegion: undefined, authorization }
}

function presignedFields(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((pair) => /^(q-|x-amz-|sign=)/i.test(pair))
    .join('&')
}
