import { describe, expect, it } from 'vitest'
import COS from 'cos-nodejs-sdk-v5'
import { signatureScheme, verifyRequestSignature } from '../../../../main/core/cos/verify-request.ts'

const secrets = (id: string) => (id === 'AK' ? 'SK' : undefined)
const NOW = Date.UTC(2026, 0, 1)

describe('verifyRequestSignature dispatch', () => {
  it('routes q-sign, SigV4 and unsigned requests', () => {
    const s = NOW / 1000
    const authorization = COS.getAuthorization({
      SecretId: 'AK',
      SecretKey: 'SK',
      Method: 'GET',
      Key: 'k',
      KeyTime: `${s};${s + 60}`,
      Headers: { Host: 'h' }
    } as never) as unknown as string
    const qsign = { method: 'GET', rawPath: '/k', query: [], headers: { host: 'h', authorization } }
    expect(signatureScheme(qsign)).toBe('q-sign')
    expect(verifyRequestSignature(qsign, secrets, NOW).ok).toBe(true)

    const v4 = {
      method: 'GET',
      rawPath: '/k',
      query: [],
      headers: {
        host: 'h',
        authorization: 'AWS4-HMAC-SHA256 Credential=AK/20260101/r/s3/aws4_request, SignedHeaders=host, Signature=00',
        'x-amz-date': '20260101T000000Z'
      }
    }
    expect(signatureScheme(v4)).toBe('aws4')
    const r = verifyRequestSignature(v4, secrets, NOW)
    expect(r.ok || r.code).toBe('SignatureDoesNotMatch')

    const none = { method: 'GET', rawPath: '/k', query: [], headers: { host: 'h' } }
    expect(signatureScheme(none)).toBe('none')
    const n = verifyRequestSignature(none, secrets, NOW)
    expect(n.ok || n.code).toBe('AccessDenied')
  })
})
