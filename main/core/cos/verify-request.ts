/**
 * One entry point for the HTTP layer: find which signature scheme a request uses (COS
 * q-sign or AWS SigV4, header or presigned) and verify it. An unsigned request fails with
 * AccessDenied, since this is only called when credentials are configured.
 */
import { failure, type SecretLookup, type SignableRequest, type SignatureCheck } from './signature-check.ts'
import { hasQSign, verifyQSign } from './signature-qsign.ts'
import { hasV4, verifyV4 } from './signature-v4.ts'

export type SignatureScheme = 'q-sign' | 'aws4' | 'none'

export function signatureScheme(request: SignableRequest): SignatureScheme {
  if (hasQSign(request)) return 'q-sign'
  if (hasV4(request)) return 'aws4'
  return 'none'
}

export function verifyRequestSignature(
  request: SignableRequest,
  secretFor: SecretLookup,
  nowMs: number
): SignatureCheck {
  switch (signatureScheme(request)) {
    case 'q-sign':
      return verifyQSign(request, secretFor, nowMs)
    case 'aws4':
      return verifyV4(request, secretFor, nowMs)
    case 'none':
      return failure(
        'AccessDenied',
        'Access Denied: this emulator has credentials configured, so requests must be signed ' +
          '(COS q-sign or AWS SigV4, in the Authorization header or a presigned URL).'
      )
  }
}
