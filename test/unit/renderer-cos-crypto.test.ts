import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import { contentMd5, md5Hex } from '../../renderer/src/lib/cos/md5.ts'
import { qSignature } from '../../renderer/src/lib/cos/q-sign.ts'

// The renderer's own MD5 (Content-MD5 of Delete Multiple / Restore) and q-sign signer,
// checked against node:crypto and the official cos-nodejs-sdk-v5 signer.
const COS = createRequire(import.meta.url)('cos-nodejs-sdk-v5') as {
  getAuthorization(options: Record<string, unknown>): string
}

describe('renderer md5', () => {
  test.each([0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 70_000])('%i bytes match node:crypto', (length) => {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 255)
    expect(md5Hex(bytes)).toBe(createHash('md5').update(bytes).digest('hex'))
  })

  test('Content-MD5 is base64 of the UTF-8 digest', () => {
    const xml = '<Delete><Quiet>false</Quiet><Object><Key>photos/猫 (1).jpg</Key></Object></Delete>'
    expect(contentMd5(xml)).toBe(createHash('md5').update(xml, 'utf8').digest('base64'))
  })
})

describe('renderer q-sign signer', () => {
  const now = 1_700_000_000
  const keyTime = `${now - 60};${now + 900}`
  const cases: {
    name: string
    method: string
    url: string
    pathname: string
    query: Record<string, string>
    headers: Record<string, string>
  }[] = [
    { name: 'list buckets', method: 'GET', url: 'http://127.0.0.1:9500/', pathname: '/', query: {}, headers: {} },
    {
      name: 'list objects with a prefix',
      method: 'GET',
      url: 'http://127.0.0.1:9500/b-1250000000/?encoding-type=url&max-keys=1000&prefix=a%20b%2F&delimiter=%2F',
      pathname: '/b-1250000000/',
      query: { 'encoding-type': 'url', 'max-keys': '1000', prefix: 'a b/', delimiter: '/' },
      headers: {}
    },
    {
      name: 'delete multiple with Content-MD5',
      method: 'POST',
      url: 'http://127.0.0.1:9500/b-1250000000/?delete',
      pathname: '/b-1250000000/',
      query: { delete: '' },
      headers: { 'content-type': 'application/xml', 'content-md5': 'rL0Y20zC+Fzt72VPzMSk2A==' }
    },
    {
      name: 'upload part of a unicode key',
      method: 'PUT',
      url: 'http://127.0.0.1:9500/b-1250000000/%E7%8C%AB/(1)!.jpg?partNumber=2&uploadId=abc',
      pathname: '/b-1250000000/猫/(1)!.jpg',
      query: { partNumber: '2', uploadId: 'abc' },
      headers: { 'x-cos-storage-class': 'ARCHIVE' }
    }
  ]

  test.each(cases)('$name matches cos-nodejs-sdk-v5', async ({ method, url, pathname, query, headers }) => {
    const ours = await qSignature('AKIDtest', 'secret', method, url, headers, now)
    const sdk = COS.getAuthorization({
      SecretId: 'AKIDtest',
      SecretKey: 'secret',
      Method: method,
      Pathname: pathname,
      Query: query,
      Headers: headers,
      KeyTime: keyTime
    })
    expect(ours).toBe(sdk)
  })
})
