/**
 * sendSegments (main/store/blob-send.ts) through a real HTTP response: the bytes of ranges
 * across several files arrive exactly, even though every buffer is reused for later reads;
 * a client that goes away mid-body makes the send reject and closes the files it opened.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readlinkSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, get, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Segment } from '../../../main/store/blob-read-stream.ts'
import { sendSegments } from '../../../main/store/blob-send.ts'

const MiB = 1024 * 1024
let dir: string
let server: Server
let port: number
/** What the next request sends, and where its outcome goes. */
let respond: (res: ServerResponse) => void = () => undefined

const files: { path: string; bytes: Buffer }[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blob-send-'))
  for (const [i, size] of [9 * MiB + 17, 1, 5 * MiB - 5].entries()) {
    const path = join(dir, `f${i}`)
    const bytes = randomBytes(size)
    writeFileSync(path, bytes)
    files.push({ path, bytes })
  }
  server = createServer((_req, res) => respond(res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

function fetchAll(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve(Buffer.concat(chunks)))
      res.on('error', reject)
    }).on('error', reject)
  })
}

/** Descriptors of this process open on files of `dir`. */
function openInDir(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)
    } catch {
      return false
    }
  }).length
}

describe('sendSegments', () => {
  it('sends ranges across several files byte for byte', async () => {
    const segments: Segment[] = [
      { path: files[0]!.path, start: 5, end: files[0]!.bytes.length - 1 },
      { path: files[1]!.path, start: 0, end: 0 },
      { path: files[2]!.path, start: 0, end: 4 * MiB + 3 }
    ]
    const expected = Buffer.concat([
      files[0]!.bytes.subarray(5),
      files[1]!.bytes,
      files[2]!.bytes.subarray(0, 4 * MiB + 4)
    ])
    // twice in parallel: the pool's buffers are shared, never while a socket still holds them
    const sent: Promise<void>[] = []
    respond = (res) => {
      res.writeHead(200, { 'Content-Length': expected.length })
      sent.push(sendSegments(segments, res))
    }
    const [a, b] = await Promise.all([fetchAll(), fetchAll()])
    await Promise.all(sent)
    expect(a.equals(expected)).toBe(true)
    expect(b.equals(expected)).toBe(true)
    expect(openInDir()).toBe(0)
  })

  it('rejects when the client goes away and closes the files it opened', async () => {
    const big = join(dir, 'big')
    writeFileSync(big, randomBytes(64 * MiB))
    let sent: Promise<void> | undefined
    respond = (res) => {
      res.writeHead(200, { 'Content-Length': 64 * MiB })
      sent = sendSegments([{ path: big, start: 0, end: 64 * MiB - 1 }], res)
    }
    await new Promise<void>((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy()
          resolve()
        })
      })
      req.on('error', () => undefined)
      req.setTimeout(10_000, () => reject(new Error('no body')))
    })
    await expect(sent).rejects.toThrow(/closed before its body was sent/)
    expect(openInDir()).toBe(0)
  })
})
