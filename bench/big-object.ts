/**
 * One big object streamed through each server (PUT, then GET), against two local yardsticks:
 * this machine's MD5 rate and a raw `cp` of a file of the same size on the same disk.
 * The source bytes are generated on the fly (one random MiB repeated), never held whole.
 */
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync, statfsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Client, objectPath } from './client.ts'
import type { RunningServer } from './servers.ts'

const MiB = 1024 * 1024
const chunk = randomBytes(MiB)

export function source(size: number): Readable {
  return Readable.from(
    (function* () {
      for (let left = size; left > 0; left -= MiB) yield left >= MiB ? chunk : chunk.subarray(0, left)
    })(),
    { objectMode: false }
  )
}

export function mbPerSec(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000)
}

/** Free bytes on the filesystem of os.tmpdir() (where every data dir lives). */
export function freeBytes(): number {
  const stats = statfsSync(tmpdir())
  return stats.bavail * stats.bsize
}

export interface Yardsticks {
  md5MBps: number
  cpMBps: number
  /** Hex MD5 of `source(size)`: the ETag every server must answer. */
  md5: string
}

export async function measureYardsticks(size: number): Promise<Yardsticks> {
  const hash = createHash('md5')
  let started = performance.now()
  for await (const piece of source(size)) hash.update(piece as Buffer)
  const md5 = hash.digest('hex')
  const md5MBps = mbPerSec(size, performance.now() - started)

  const dir = mkdtempSync(join(tmpdir(), 'bench-cp-'))
  try {
    await pipeline(source(size), createWriteStream(join(dir, 'a')))
    started = performance.now()
    const cp = spawnSync('cp', [join(dir, 'a'), join(dir, 'b')])
    if (cp.status !== 0) throw new Error(`cp failed: ${cp.stderr}`)
    return { md5MBps, cpMBps: mbPerSec(size, performance.now() - started), md5 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface BigObjectResult {
  /** RSS of the idle server just before the PUT, MiB. */
  idleRssMiB: number
  putMBps: number
  putPeakMiB: number
  /** undefined for the null server (it stores nothing to read back). */
  getMBps?: number
  getPeakMiB?: number
}

export async function benchBigObject(
  server: RunningServer,
  size: number,
  expectedMd5: string
): Promise<BigObjectResult> {
  const client = new Client(server.port, 1)
  const path = objectPath('big/object.bin')
  try {
    await client.createBucket()
    const idleRssMiB = server.memory().rssMiB
    server.resetPeak()
    let started = performance.now()
    const put = await client.ok('PUT', path, { body: source(size), contentLength: size })
    const putMBps = mbPerSec(size, performance.now() - started)
    const putPeakMiB = server.memory().peakMiB
    if (!server.peer.stores) return { idleRssMiB, putMBps, putPeakMiB }
    const etag = String(put.headers.etag).replaceAll('"', '')
    if (etag !== expectedMd5) throw new Error(`${server.peer.name}: ETag ${etag}, expected ${expectedMd5}`)

    server.resetPeak()
    started = performance.now()
    const get = await client.request('GET', path)
    const getMBps = mbPerSec(size, performance.now() - started)
    if (get.status !== 200 || get.bytes !== size) throw new Error(`GET big object: ${get.status}, ${get.bytes} bytes`)
    const getPeakMiB = server.memory().peakMiB
    await client.request('DELETE', path)
    return { idleRssMiB, putMBps, putPeakMiB, getMBps, getPeakMiB }
  } finally {
    client.close()
  }
}
