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
import { leanGet } from './lean-connection.ts'
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
  /** Multipart upload of the same size: PART_SIZE parts, PARTS_IN_FLIGHT at a time. */
  multipartMBps?: number
  multipartPeakMiB?: number
  /** undefined when the peer cannot send the object back (null servers send from memory). */
  getMBps?: number
  getPeakMiB?: number
  /** GET of the multipart object (a composite of the parts on COS Local). */
  multipartGetMBps?: number
  /** RSS AFTER_MS after the last request, MiB. */
  afterRssMiB: number
}

export const PART_SIZE = 8 * MiB
export const PARTS_IN_FLIGHT = 4
export const GET_RUNS = 3
/** When RSS is read again after the last request. */
export const AFTER_MS = 12_000

/** The ETag of a multipart object made of `count` parts whose MD5s are `partMd5s`. */
function multipartEtag(partMd5s: string[]): string {
  const joined = Buffer.concat(partMd5s.map((hex) => Buffer.from(hex, 'hex')))
  return `${createHash('md5').update(joined).digest('hex')}-${partMd5s.length}`
}

export async function multipartUpload(client: Client, path: string, size: number): Promise<string> {
  const init = await client.ok('POST', `${path}?uploads`)
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.text)?.[1]
  if (!uploadId) throw new Error(`Initiate Multipart Upload answered ${init.text.slice(0, 200)}`)
  const count = Math.ceil(size / PART_SIZE)
  const part = Buffer.concat(Array.from({ length: PART_SIZE / MiB }, () => chunk))
  const etags: string[] = new Array<string>(count)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++
      const length = Math.min(PART_SIZE, size - index * PART_SIZE)
      const reply = await client.ok('PUT', `${path}?partNumber=${index + 1}&uploadId=${uploadId}`, {
        body: length === PART_SIZE ? part : part.subarray(0, length)
      })
      etags[index] = String(reply.headers.etag)
    }
  }
  await Promise.all(Array.from({ length: PARTS_IN_FLIGHT }, worker))
  const xml = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
  const done = await client.ok('POST', `${path}?uploadId=${uploadId}`, {
    body: Buffer.from(`<CompleteMultipartUpload>${xml.join('')}</CompleteMultipartUpload>`)
  })
  return /<ETag>([^<]+)<\/ETag>/.exec(done.text)?.[1]?.replaceAll('&quot;', '').replaceAll('"', '') ?? ''
}

/** The ETag a multipart upload of `source(size)` in PART_SIZE parts must get. */
export function expectedMultipartEtag(size: number): string {
  const md5s: string[] = []
  const part = Buffer.concat(Array.from({ length: PART_SIZE / MiB }, () => chunk))
  for (let offset = 0; offset < size; offset += PART_SIZE) {
    const length = Math.min(PART_SIZE, size - offset)
    md5s.push(createHash('md5').update(part.subarray(0, length)).digest('hex'))
  }
  return multipartEtag(md5s)
}

/**
 * MB/s of a GET of the whole object: the median of `runs` (one run is noisy on a shared
 * machine). Read with `leanGet` (one reused read buffer), not `node:http`, whose fresh 64 KiB
 * buffer per read made the client's page faults, not the server, set the rate (lean-connection.ts).
 */
async function timedGet(client: Client, path: string, size: number, runs = GET_RUNS): Promise<number> {
  const rates: number[] = []
  for (let r = 0; r < runs; r++) {
    const started = performance.now()
    const get = await leanGet(client.port, path)
    rates.push(mbPerSec(size, performance.now() - started))
    if (get.status !== 200 || get.bytes !== size) throw new Error(`GET ${path}: ${get.status}, ${get.bytes} bytes`)
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]!
}

export async function benchBigObject(
  server: RunningServer,
  size: number,
  expectedMd5: string
): Promise<BigObjectResult> {
  const client = new Client(server.port, PARTS_IN_FLIGHT)
  const path = objectPath('big/object.bin')
  const multipartPath = objectPath('big/multipart.bin')
  const canGet = server.peer.stores || server.peer.servesBigGet === true
  const checks = server.peer.stores || server.peer.name === 'null + MD5'
  try {
    await client.createBucket()
    const idleRssMiB = server.memory().rssMiB
    server.resetPeak()
    let started = performance.now()
    const put = await client.ok('PUT', path, { body: source(size), contentLength: size })
    const putMBps = mbPerSec(size, performance.now() - started)
    const putPeakMiB = server.memory().peakMiB
    const etag = String(put.headers.etag).replaceAll('"', '')
    if (checks && etag !== expectedMd5) throw new Error(`${server.peer.name}: ETag ${etag}, expected ${expectedMd5}`)

    let getMBps: number | undefined
    let getPeakMiB: number | undefined
    if (canGet) {
      server.resetPeak()
      getMBps = await timedGet(client, path, size)
      getPeakMiB = server.memory().peakMiB
    }
    await client.request('DELETE', path)

    server.resetPeak()
    started = performance.now()
    const multipartEtagGot = await multipartUpload(client, multipartPath, size)
    const multipartMBps = mbPerSec(size, performance.now() - started)
    const multipartPeakMiB = server.memory().peakMiB
    // s3rver 3.7.1 answers the whole object's MD5 instead of the multipart ETag: only COS Local is checked
    if (server.peer.name.startsWith('COS Local') && multipartEtagGot !== expectedMultipartEtag(size)) {
      throw new Error(
        `${server.peer.name}: multipart ETag ${multipartEtagGot}, expected ${expectedMultipartEtag(size)}`
      )
    }
    let multipartGetMBps: number | undefined
    if (canGet) {
      server.resetPeak()
      multipartGetMBps = await timedGet(client, multipartPath, size)
      getPeakMiB = Math.max(getPeakMiB ?? 0, server.memory().peakMiB)
    }
    await client.request('DELETE', multipartPath)
    // idle long enough for the hashing thread to stop (hash-writer.ts: 10 s without uploads)
    await new Promise((resolve) => setTimeout(resolve, AFTER_MS))
    return {
      idleRssMiB,
      putMBps,
      putPeakMiB,
      multipartMBps,
      multipartPeakMiB,
      getMBps,
      getPeakMiB,
      multipartGetMBps,
      afterRssMiB: server.memory().rssMiB
    }
  } finally {
    client.close()
  }
}
