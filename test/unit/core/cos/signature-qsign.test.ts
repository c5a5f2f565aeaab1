import { describe, expect, it } from 'vitest'
import COS from 'cos-nodejs-sdk-v5'
import { verifyQSign, parseQSignString } from '../../../../main/core/cos/signature-qsign.ts'
import type { SignableRequest } from '../../../../main/core/cos/signature-check.ts'

const SecretId = 'AKIDlocal'
const SecretKey = 'local-secret-key'
const secrets = (id: string) => (id === SecretId ? SecretKey : undefined)
const HOST = 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com'
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0)
const NOW_S = NOW / 1000
const KeyTime = `${NOW_S - 1};${NOW_S + 899}`

function sign(opts: {
  Method: string
  Key: string
  Query?: Record<string, string>
  Headers?: Record<string, string>
  KeyTime?: string
  Pathname?: string
}): string {
  return COS.getAuthorization({ SecretId, SecretKey, KeyTime, ...opts } as never) as unknown as string
}

function request(
  method: string,
  rawPath: string,
  headers: Record<string, string>,
  query: [string, string][] = [],
  pathStyleBucket?: string
): SignableRequest {
  const lower: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v
  return { method, rawPath, query, headers: lower, pathStyleBucket }
}

describe('q-sign verification against cos-nodejs-sdk-v5 getAuthorization', () => {
  const cases: {
    name: string
    method: string
    key: string
    rawPath: string
    query?: Record<string, string>
    headers?: Record<string, string>
  }[] = [
    { name: 'GET of a plain key', method: 'GET', key: 'a.txt', rawPath: '/a.txt' },
    {
      name: 'PUT with a unicode key with spaces and signed x-cos headers',
      method: 'PUT',
      key: 'dir/中文 file(1).txt',
      rawPath: '/dir/' + encodeURIComponent('中文 file(1).txt'),
      headers: { 'Content-Type': 'text/plain', 'x-cos-meta-color': 'Blue Sky', 'Content-Length': '5' }
    },
    {
      name: 'GET bucket with listed query params',
      method: 'GET',
      key: '',
      rawPath: '/',
      query: { prefix: 'photos/', 'max-keys': '10', delimiter: '/' }
    },
    { name: 'sub-resource without value', method: 'GET', key: '', rawPath: '/', query: { acl: '' } }
  ]
  for (const c of cases) {
    it(c.name, () => {
      const headers = { Host: HOST, ...(c.headers ?? {}) }
      const authorization = sign({ Method: c.method, Key: c.key, Query: c.query, Headers: headers })
      const result = verifyQSign(
        request(
          c.method,
          c.rawPath,
          { ...headers, Authorization: authorization, 'User-Agent': 'x' },
          Object.entries(c.query ?? {})
        ),
        secrets,
        NOW
      )
      expect(result).toEqual({ ok: true, accessKeyId: SecretId, scheme: 'q-sign' })
    })
  }

  it('accepts a Host with a port when the client signed it without one', () => {
    const authorization = sign({ Method: 'GET', Key: 'k', Headers: { Host: '127.0.0.1' } })
    const result = verifyQSign(
      request('GET', '/k', { Host: '127.0.0.1:9000', Authorization: authorization }),
      secrets,
      NOW
    )
    expect(result.ok).toBe(true)
  })

  it('accepts the path-style form signed with or without the bucket segment', () => {
    const host = '127.0.0.1:9000'
    const withoutBucket = sign({ Method: 'GET', Key: 'k/v.txt', Headers: { Host: host } })
    const withBucket = sign({ Method: 'GET', Key: 'examplebucket-1250000000/k/v.txt', Headers: { Host: host } })
    for (const authorization of [withoutBucket, withBucket]) {
      const result = verifyQSign(
        request(
          'GET',
          '/examplebucket-1250000000/k/v.txt',
          { Host: host, Authorization: authorization },
          [],
          'examplebucket-1250000000'
        ),
        secrets,
        NOW
      )
      expect(result.ok).toBe(true)
    }
  })

  it('ignores headers and params the client did not list', () => {
    const authorization = sign({ Method: 'GET', Key: 'k', Headers: { Host: HOST } })
    const result = verifyQSign(
      request(
        'GET',
        '/k',
        { Host: HOST, Authorization: authorization, 'x-cos-extra': 'added later', Range: 'bytes=0-1' },
        [['response-content-type', 'x']]
      ),
      secrets,
      NOW
    )
    expect(result.ok).toBe(true)
  })

  it('tampered header value → SignatureDoesNotMatch with our StringToSign and HttpString', () => {
    const headers = { Host: HOST, 'x-cos-meta-a': '1' }
    const authorization = sign({ Method: 'PUT', Key: 'k', Headers: headers })
    const result = verifyQSign(
      request('PUT', '/k', { ...headers, 'x-cos-meta-a': '2', Authorization: authorization }),
      secrets,
      NOW
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.code).toBe('SignatureDoesNotMatch')
    expect(result.stringToSign).toMatch(new RegExp(`^sha1\\n${KeyTime}\\n[0-9a-f]{40}\\n$`))
    expect(result.canonicalRequest).toBe(`put\n/k\n\nhost=${HOST}&x-cos-meta-a=2\n`)
  })

  it('tampered key → SignatureDoesNotMatch', () => {
    const authorization = sign({ Method: 'GET', Key: 'a', Headers: { Host: HOST } })
    const result = verifyQSign(request('GET', '/b', { Host: HOST, Authorization: authorization }), secrets, NOW)
    expect(result.ok || result.code).toBe('SignatureDoesNotMatch')
  })

  it('wrong secret → SignatureDoesNotMatch', () => {
    const authorization = COS.getAuthorization({
      SecretId,
      SecretKey: 'other',
      KeyTime,
      Method: 'GET',
      Key: 'a',
      Headers: { Host: HOST }
    } as never) as unknown as string
    const result = verifyQSign(request('GET', '/a', { Host: HOST, Authorization: authorization }), secrets, NOW)
    expect(result.ok || result.code).toBe('SignatureDoesNotMatch')
  })

  it('expired → AccessDenied "Request has expired" (the pair the SDKs correct their clock on)', () => {
    const authorization = sign({
      Method: 'GET',
      Key: 'a',
      Headers: { Host: HOST },
      KeyTime: `${NOW_S - 1000};${NOW_S - 100}`
    })
    const result = verifyQSign(request('GET', '/a', { Host: HOST, Authorization: authorization }), secrets, NOW)
    expect(result).toMatchObject({ ok: false, code: 'AccessDenied', message: 'Request has expired' })
  })

  it('starts more than 15 minutes in the future → RequestTimeTooSkewed', () => {
    const authorization = sign({
      Method: 'GET',
      Key: 'a',
      Headers: { Host: HOST },
      KeyTime: `${NOW_S + 3600};${NOW_S + 7200}`
    })
    const result = verifyQSign(request('GET', '/a', { Host: HOST, Authorization: authorization }), secrets, NOW)
    expect(result.ok || result.code).toBe('RequestTimeTooSkewed')
  })

  it('unknown SecretId → InvalidAccessKeyId', () => {
    const authorization = COS.getAuthorization({
      SecretId: 'AKIDnobody',
      SecretKey,
      KeyTime,
      Method: 'GET',
      Key: 'a'
    } as never) as unknown as string
    const result = verifyQSign(request('GET', '/a', { Host: HOST, Authorization: authorization }), secrets, NOW)
    expect(result.ok || result.code).toBe('InvalidAccessKeyId')
  })

  it('incomplete or non-sha1 authorization → AccessDenied', () => {
    const partial = verifyQSign(request('GET', '/a', { Authorization: 'q-sign-algorithm=sha1&q-ak=x' }), secrets, NOW)
    expect(partial.ok || partial.code).toBe('AccessDenied')
    const authorization = sign({ Method: 'GET', Key: 'a' }).replace('q-sign-algorithm=sha1', 'q-sign-algorithm=md5')
    const md5 = verifyQSign(request('GET', '/a', { Authorization: authorization }), secrets, NOW)
    expect(md5.ok || md5.code).toBe('AccessDenied')
  })

  it('verifies the presigned query form (q-* params, and a single `sign` param)', () => {
    const authorization = sign({
      Method: 'GET',
      Key: 'p.txt',
      Headers: { Host: HOST },
      Query: { 'response-content-type': 'text/plain' }
    })
    const query = [...new URLSearchParams(authorization)] as [string, string][]
    query.push(['response-content-type', 'text/plain'])
    const viaQuery = verifyQSign(request('GET', '/p.txt', { Host: HOST }, query), secrets, NOW)
    expect(viaQuery.ok).toBe(true)
    const viaSign = verifyQSign(
      request('GET', '/p.txt', { Host: HOST }, [
        ['sign', authorization],
        ['response-content-type', 'text/plain']
      ]),
      secrets,
      NOW
    )
    expect(viaSign.ok).toBe(true)
  })

  it('parses the Authorization string into its fields', () => {
    const parsed = parseQSignString(sign({ Method: 'GET', Key: 'a', Headers: { Host: HOST, 'x-cos-acl': 'private' } }))
    expect(parsed).toMatchObject({
      algorithm: 'sha1',
      accessKeyId: SecretId,
      keyTime: KeyTime,
      headerList: ['host', 'x-cos-acl'],
      urlParamList: []
    })
  })
})
