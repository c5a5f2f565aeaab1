/**
 * Fuzz suite: seeded, reproducible malformed requests against the COS API and the app API
 * (bad XML, bad names, `../`, NUL and 2,000-character keys, huge headers, bad ranges, broken
 * aws-chunked bodies, truncated bodies, wrong Content-Length, out-of-order multipart, bad
 * copy sources, bad JSON). Each gets a proper answer — success, or an error in the API's own
 * shape (COS error XML / app-API JSON), never a 500 — the server keeps serving, and no file
 * appears outside the data folder. Reproduce one run with COS_LOCAL_FUZZ_SEED.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type App } from '../../main/app.ts'
import { send, type Answer } from './helpers/http.ts'
import { report, sized } from './helpers/mode.ts'

const COUNT = sized(600, 10_000)
const SEED = Number(process.env.COS_LOCAL_FUZZ_SEED ?? 20261205)
const BUCKET = 'fuzz-1250000000'

let app: App
let parent: string
let dataDir: string
beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'cos-local-fuzz-'))
  dataDir = join(parent, 'data')
  mkdirSync(dataDir)
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
  expect((await send(app.cosEndpoint, 'PUT', `/${BUCKET}`)).status).toBe(200)
  expect((await send(app.cosEndpoint, 'PUT', `/${BUCKET}/existing.txt`, { body: 'x'.repeat(100) })).status).toBe(200)
})
afterAll(async () => {
  await app?.stop()
  rmSync(parent, { recursive: true, force: true })
})

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Case {
  kind: string
  api: 'cos' | 'app'
  method: string
  path: string
  headers?: Record<string, string>
  body?: Buffer | string
  /** Raw bytes on a socket (truncated bodies, wrong Content-Length): no answer required. */
  raw?: string
}

function generator(random: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const int = (max: number) => Math.floor(random() * max)
  const junk = (length: number) =>
    Array.from({ length }, () =>
      String.fromCharCode(pick([0, 1, 9, 10, 13, 32, 34, 37, 38, 39, 47, 60, 62, 92, 255, 0x4e2d]) || 65 + int(26))
    ).join('')
  const enc = (text: string) => encodeURIComponent(text).replace(/%2F/g, pick(['/', '%2F']))
  const keys = [
    '../../etc/passwd',
    '..%2F..%2Fescape',
    'a/../../../b',
    '%00nul',
    'x'.repeat(2000),
    'k'.repeat(850),
    '中文/键',
    '%',
    '%zz',
    '/leading',
    './dot',
    '....//....//',
    'CON',
    'a\u0000b'
  ]
  const key = () => (random() < 0.5 ? pick(keys) : junk(1 + int(40)))
  const bucket = () =>
    pick([
      BUCKET,
      BUCKET,
      'nosuch-1250000000',
      'UPPER-1250000000',
      'a',
      '-x-1250000000',
      'x'.repeat(80) + '-1',
      '..',
      '%2e%2e',
      'no-appid'
    ])
  const xmlBodies = [
    '<Delete><Object><Key>a</Key></Object>',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&e;</Key></Object></Delete>',
    '<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>"x"</ETag></Part><Part><PartNumber>1</PartNumber><ETag>"y"</ETag></Part></CompleteMultipartUpload>',
    '<CORSConfiguration><CORSRule></CORSRule></CORSConfiguration>',
    '<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>',
    '<Tagging><TagSet>' + '<Tag><Key>k</Key><Value>v</Value></Tag>'.repeat(60) + '</TagSet></Tagging>',
    '<<<>>>',
    '',
    '<a>' + '<b>'.repeat(2000) + '</b>'.repeat(2000) + '</a>'
  ]
  const subresources = [
    '',
    '?acl',
    '?cors',
    '?versioning',
    '?uploads',
    '?delete',
    '?tagging',
    '?restore',
    '?location',
    '?versions',
    '?lifecycle',
    '?policy',
    '?website',
    '?origin',
    '?replication',
    '?unknown-sub',
    '?uploadId=nope',
    '?partNumber=0&uploadId=x',
    '?partNumber=99999&uploadId=x',
    '?max-keys=-1',
    '?max-keys=abc',
    '?list-type=2&continuation-token=%%%',
    '?encoding-type=bogus',
    '?prefix=%00&delimiter=' + 'd'.repeat(300)
  ]

  const cos = (): Case => {
    const roll = int(14)
    const method = pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'])
    const base: Case = { kind: 'cos', api: 'cos', method, path: `/${enc(bucket())}/${enc(key())}${pick(subresources)}` }
    switch (roll) {
      case 0:
        return {
          ...base,
          kind: 'bad-xml',
          method: pick(['POST', 'PUT']),
          path: `/${BUCKET}${pick(['?delete', '?cors', '?versioning', '?tagging', '?acl', ''])}`,
          body: pick(xmlBodies)
        }
      case 1:
        return {
          ...base,
          kind: 'bad-range',
          method: 'GET',
          path: `/${BUCKET}/existing.txt`,
          headers: {
            range: pick([
              'bytes=5-1',
              'bytes=-0',
              'bytes=999-',
              'bytes=abc',
              'bytes=0-1,2-3,' + '4-5,'.repeat(500),
              'items=0-1',
              'bytes=--1',
              ''
            ])
          }
        }
      case 2:
        return {
          ...base,
          kind: 'huge-header',
          method: 'GET',
          path: `/${BUCKET}/existing.txt`,
          headers: { 'x-cos-meta-big': 'v'.repeat(pick([8_000, 20_000, 70_000])) }
        }
      case 3:
        return {
          ...base,
          kind: 'bad-copy-source',
          method: 'PUT',
          path: `/${BUCKET}/copy-${int(50)}`,
          headers: {
            'x-cos-copy-source': pick([
              '',
              '/',
              `${BUCKET}/../../etc/passwd`,
              'nosuch-1250000000.cos.ap-guangzhou.myqcloud.com/x',
              `${BUCKET}.cos.ap-guangzhou.myqcloud.com/missing?versionId=%%`,
              junk(30),
              `${BUCKET}/existing.txt?versionId=nope`
            ])
          }
        }
      case 4:
        return {
          ...base,
          kind: 'aws-chunked',
          method: 'PUT',
          path: `/${BUCKET}/chunked-${int(50)}`,
          headers: {
            'content-encoding': 'aws-chunked',
            'x-amz-decoded-content-length': String(pick([5, 10, 1e12, -1]))
          },
          body: pick([
            '5\r\nhello\r\n0\r\n\r\n',
            'zz\r\nhello',
            '5;chunk-signature=abc\r\nhel',
            '0\r\n',
            '\r\n\r\n',
            'ffffffff\r\nx\r\n'
          ])
        }
      case 5:
        return {
          ...base,
          kind: 'truncated-body',
          raw: `PUT /${BUCKET}/trunc-${int(50)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${100 + int(100000)}\r\n\r\n${'p'.repeat(int(90))}`
        }
      case 6:
        return {
          ...base,
          kind: 'wrong-content-length',
          raw: `PUT /${BUCKET}/cl-${int(50)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${pick(['-1', 'abc', '5, 6', '99999999999999999999'])}\r\n\r\nhello`
        }
      case 7:
        return {
          ...base,
          kind: 'bad-request-line',
          raw: pick([
            `GET /${BUCKET}/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`,
            'GARBAGE\r\n\r\n',
            `GET ${'/a'.repeat(5000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
            'PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'
          ])
        }
      case 8:
        return {
          ...base,
          kind: 'multipart-out-of-order',
          method: 'POST',
          path: `/${BUCKET}/mp?uploadId=${pick(['', 'bogus', '%00'])}`,
          body: pick(xmlBodies)
        }
      case 9:
        return {
          ...base,
          kind: 'bad-headers',
          method: 'PUT',
          path: `/${BUCKET}/h-${int(50)}`,
          headers: {
            'content-md5': pick(['', 'abc', 'AAAAAAAAAAAAAAAAAAAAAA==']),
            'x-cos-storage-class': pick(['BOGUS', 'ARCHIVE', '']),
            'x-cos-acl': pick(['nope', 'private']),
            authorization: pick(['q-sign-algorithm=sha1&q-ak=x', 'AWS4-HMAC-SHA256 Credential=bad', 'junk'])
          },
          body: 'x'
        }
      case 10:
        return {
          ...base,
          kind: 'bad-host',
          headers: { host: pick(['evil.example', '[::1', 'a:b:c', ':', 'x'.repeat(300)]) }
        }
      case 11:
        return {
          ...base,
          kind: 'post-object',
          method: 'POST',
          path: `/${BUCKET}`,
          headers: {
            'content-type': pick([
              'multipart/form-data',
              'multipart/form-data; boundary=zz',
              'multipart/form-data; boundary='
            ])
          },
          body: pick([
            '--zz\r\nContent-Disposition: form-data; name="key"\r\n\r\n../x\r\n--zz--',
            '--zz\r\n\r\n',
            junk(100)
          ])
        }
      default:
        return { ...base, body: random() < 0.3 ? junk(int(200)) : undefined }
    }
  }

  const appCase = (): Case => {
    const method = pick(['GET', 'POST', 'PATCH', 'DELETE', 'PUT'])
    const path = pick([
      '/api/functions',
      `/api/functions/${enc(key())}`,
      `/api/functions/${enc(key())}/invoke`,
      '/api/triggers',
      `/api/triggers/${enc(key())}`,
      `/api/explain?bucket=${enc(bucket())}&key=${enc(key())}`,
      `/api/invocations?limit=${pick(['-1', 'abc', '1e9'])}`,
      `/api/wait?function=${enc(key())}&timeout=${pick(['0', '-5', 'x'])}`,
      `/api/logs?function=${enc(key())}`,
      '/api/import',
      '/api/nope',
      `/${enc(key())}`
    ])
    const body = pick([
      '{',
      '[]',
      'null',
      '{"name": 5}',
      JSON.stringify({ name: key(), code: { type: 'dir', path: '/etc' } }),
      JSON.stringify({ name: 'fz', code: { type: 'files', files: { '../../escape.js': 'x' } } }),
      JSON.stringify({ name: 'fz2', code: { type: 'zipBase64', data: 'not base64!!' } }),
      JSON.stringify({ functionName: 'none', bucket: bucket(), event: 'cos:Bogus' }),
      JSON.stringify({ yaml: ': : :' }),
      junk(300)
    ])
    return {
      kind: 'app',
      api: 'app',
      method,
      path,
      body: method === 'GET' || method === 'DELETE' ? undefined : body,
      headers: { 'content-type': 'application/json' }
    }
  }

  return () => (random() < 0.8 ? cos() : appCase())
}

function sendRaw(endpoint: string, raw: string): Promise<string> {
  const url = new URL(endpoint)
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.end(raw))
    let text = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.setTimeout(2000, () => socket.destroy())
    socket.on('close', () => resolve(text))
    socket.on('error', () => resolve(text))
  })
}

function judge(c: Case, answer: Answer): string | undefined {
  if (answer.status === 500 || answer.status > 503)
    return `server error ${answer.status}: ${answer.body.toString().slice(0, 300)}`
  if (answer.status < 400 || c.method === 'HEAD' || answer.status === 431) return undefined
  const text = answer.body.toString('utf8')
  if (c.api === 'cos') {
    if (answer.status === 400 && text === '' && answer.headers['x-cos-request-id'] === undefined) return undefined // node's parser
    if (
      !/^<\?xml[^>]*\?>\s*<Error><Code>[^<]+<\/Code><Message>[^<]*<\/Message><Resource>[^<]*<\/Resource><RequestId>[^<]+<\/RequestId><TraceId>[^<]+<\/TraceId><\/Error>$/.test(
        text
      )
    )
      return `not COS error XML (${answer.status}): ${text.slice(0, 200)}`
    return undefined
  }
  if (answer.headers['content-type']?.includes('text/html')) return undefined // the UI's static fallback
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } }
    if (typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string') return undefined
  } catch {
    // fall through
  }
  return `not an app-API error (${answer.status}): ${text.slice(0, 200)}`
}

it(`${COUNT} seeded malformed requests (seed ${SEED}) each get a proper answer; the server keeps serving`, async () => {
  const next = generator(prng(SEED))
  const cases = Array.from({ length: COUNT }, next)
  const problems: string[] = []
  const byKind = new Map<string, number>()
  let index = 0
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = index++
      if (n >= cases.length) return
      const c = cases[n]!
      byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1)
      const endpoint = c.api === 'cos' ? app.cosEndpoint : app.appApiUrl
      if (c.raw !== undefined) {
        await sendRaw(endpoint, c.raw)
        continue
      }
      const headers: Record<string, string> = { ...c.headers }
      if (c.api === 'app') headers.authorization = `Bearer ${app.token}`
      let answer: Answer
      try {
        answer = await send(endpoint, c.method, c.path, { headers, body: c.body, timeoutMs: 15_000 }).catch(
          (error: Error) => {
            // A pooled keep-alive socket the server closed after an earlier malformed request:
            // what any client does — retry once on a new connection — and judge that answer.
            if (!/socket hang up|ECONNRESET/.test(error.message)) throw error
            return send(endpoint, c.method, c.path, { headers, body: c.body, timeoutMs: 15_000, fresh: true })
          }
        )
      } catch (error) {
        // Node's client refuses some header values itself; the server never saw them.
        if (
          (error as NodeJS.ErrnoException).code === 'ERR_INVALID_CHAR' ||
          (error as Error).message.includes('Invalid character')
        )
          continue
        // Past Node's header limit the server answers 431 and closes the socket, maybe before reading it all.
        if (c.kind === 'huge-header' && /socket hang up|ECONNRESET|EPIPE/.test((error as Error).message)) continue
        problems.push(`#${n} ${c.kind} ${c.method} ${c.path.slice(0, 80)}: ${(error as Error).message}`)
        continue
      }
      const problem = judge(c, answer)
      if (problem) problems.push(`#${n} ${c.kind} ${c.method} ${c.path.slice(0, 80)}: ${problem}`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  // still serving, and nothing written outside the data folder
  expect((await send(app.cosEndpoint, 'GET', `/${BUCKET}/existing.txt`)).body.toString()).toBe('x'.repeat(100))
  expect(readdirSync(parent)).toEqual(['data'])
  report('fuzz', { requests: COUNT, seed: SEED, problems: problems.length, kinds: Object.fromEntries(byKind) })
  expect(problems.slice(0, 20)).toEqual([])
}, 900_000)
