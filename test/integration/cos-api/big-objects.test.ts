/**
 * Bodies of a MiB and more are hashed on a second thread while the thread pool writes them
 * (main/store/hash-writer.ts): the ETag is the MD5, the bytes read back equal, a wrong
 * Content-MD5 or a client that goes away leaves nothing behind, bodies of unknown length
 * and concurrent uploads work, and a write the worker cannot do fails cleanly.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHashWriter } from '../../../main/store/hash-writer.ts'
import { startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'big-1250000000'
const MiB = 1024 * 1024
const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex')
let server: TestCosServer

beforeAll(async () => {
  server = await startTestCosServer()
  server.store.createBucket(Bucket, 'ap-guangzhou')
})
afterAll(() => server.close())

/** PUT with node:http (fetch cannot stream a body of unknown length or stop mid-body). */
function put(
  key: string,
  body: Buffer,
  options: { headers?: http.OutgoingHttpHeaders; chunked?: boolean; stopAfter?: number } = {}
): Promise<{ status: number; etag: string; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers, ...(options.chunked ? {} : { 'Content-Length': body.length }) }
    const req = http.request(`${server.endpoint}/${Bucket}/${key}`, { method: 'PUT', headers }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag), text }))
    })
    req.on('error', reject)
    if (options.stopAfter !== undefined) {
      req.write(body.subarray(0, options.stopAfter), () => setTimeout(() => req.destroy(), 50))
      return
    }
    for (let at = 0; at < body.length; at += 256 * 1024) req.write(body.subarray(at, at + 256 * 1024))
    req.end()
  })
}

async function get(key: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${server.endpoint}/${Bucket}/${key}`)
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) }
}

function tmpFiles(): string[] {
  const dir = join(server.dataDir, 'tmp')
  return existsSync(dir) ? readdirSync(dir) : []
}

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('big objects', () => {
  it('stores a 12 MiB body with its MD5 as ETag and reads the same bytes back', async () => {
    const body = randomBytes(12 * MiB + 123)
    const res = await put('twelve', body)
    expect(res.status).toBe(200)
    expect(res.etag).toBe(`"${md5(body)}"`)
    const got = await get('twelve')
    expect(got.bytes.equals(body)).toBe(true)
  })

  it('hashes a chunked body of unknown length that outgrows the inline size', async () => {
    const body = randomBytes(3 * MiB + 5)
    const res = await put('chunked', body, { chunked: true })
    expect(res.status).toBe(200)
    expect(res.etag).toBe(`"${md5(body)}"`)
    expect((await get('chunked')).bytes.equals(body)).toBe(true)
  })

  it('rejects a big body whose Content-MD5 does not match and keeps nothing', async () => {
    const body = randomBytes(2 * MiB)
    const res = await put('bad-digest', body, {
      headers: { 'Content-MD5': createHash('md5').update('other').digest('base64') }
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('<Code>BadDigest</Code>')
    expect((await get('bad-digest')).status).toBe(404)
    await eventually(() => tmpFiles().length === 0)
  })

  it('keeps nothing of an upload whose client goes away mid-body, and serves on', async () => {
    const body = randomBytes(16 * MiB)
    await put('abandoned', body, { stopAfter: 5 * MiB }).catch(() => undefined)
    await eventually(() => tmpFiles().length === 0)
    expect((await get('abandoned')).status).toBe(404)
    const after = randomBytes(MiB + 1)
    expect((await put('after', after)).etag).toBe(`"${md5(after)}"`)
  })

  it('stores concurrent big uploads, each with its own hash', async () => {
    const bodies = Array.from({ length: 4 }, (_, i) => randomBytes(2 * MiB + i))
    const results = await Promise.all(bodies.map((body, i) => put(`parallel-${i}`, body)))
    results.forEach((res, i) => expect(res.etag).toBe(`"${md5(bodies[i] as Buffer)}"`))
    for (const [i, body] of bodies.entries()) expect((await get(`parallel-${i}`)).bytes.equals(body)).toBe(true)
  })
})

describe('hash writer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cos-hash-writer-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('copies chunks it does not own (the caller keeps them intact) and hands over its own', async () => {
    const writer = createHashWriter()
    const kept = randomBytes(3 * MiB)
    const copied = await writer.write(Readable.from([kept.subarray(0, MiB), kept.subarray(MiB)]), join(dir, 'a'), {
      fsync: false,
      transfer: false
    })
    expect(copied).toEqual({ size: kept.length, md5: md5(kept) })
    expect(kept.length).toBe(3 * MiB) // not detached
    const owned = [randomBytes(2 * MiB), randomBytes(MiB)].map((b) => Buffer.from(b)) // each its own ArrayBuffer
    const expected = md5(Buffer.concat(owned))
    const handed = await writer.write(Readable.from(owned), join(dir, 'b'), { fsync: true, transfer: true })
    expect(handed).toEqual({ size: 3 * MiB, md5: expected })
    await writer.close()
  })

  it('fails an upload still running when the writer is closed', async () => {
    const writer = createHashWriter()
    const source = new Readable({ read() {} })
    source.push(randomBytes(2 * MiB))
    const outcome = writer
      .write(source, join(dir, 'closed'), { fsync: false, transfer: false })
      .catch((error: Error) => error)
    await new Promise((r) => setTimeout(r, 20))
    await writer.close()
    expect(((await outcome) as Error).message).toBe('the hashing thread was stopped')
    expect(source.destroyed).toBe(true)
  })

  it('fails a write the worker cannot do, then works again', async () => {
    const writer = createHashWriter()
    const source = Readable.from([randomBytes(2 * MiB), randomBytes(2 * MiB)])
    const failed = await writer
      .write(source, join(dir, 'missing-dir', 'x'), { fsync: false, transfer: false })
      .catch((error: NodeJS.ErrnoException) => error)
    expect((failed as NodeJS.ErrnoException).code).toBe('ENOENT')
    const body = randomBytes(MiB)
    expect(await writer.write(Readable.from([body]), join(dir, 'c'), { fsync: false, transfer: false })).toEqual({
      size: MiB,
      md5: md5(body)
    })
    await writer.close()
  })
})
