/**
 * Multipart objects kept as extents: Complete adds no blob file (the parts' files become the
 * object's extents), GET, ranges and copies read across part boundaries, and the files of
 * parts replaced, aborted or left out of Complete — and of overwritten composites — are
 * removed. A kill -9 around Complete leaves either the upload or the whole object, and the
 * files nothing references are swept at the next start.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../main/store/db.ts'
import { startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const MiB = 1024 * 1024
const Bucket = 'extents-1250000000'
const CHILD = join(import.meta.dirname, '..', '..', 'fixtures', 'cos-child.ts')
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex')

let server: TestCosServer
const dirs: string[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  server = await startTestCosServer()
  expect((await fetch(`${server.endpoint}/${Bucket}`, { method: 'PUT' })).status).toBe(200)
})
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await server.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** Every blob file of a data folder. */
function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'blobs')
  return readdirSync(root).flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(root, dir, name)))
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
  expect(check(), what).toBe(true)
}

async function initiate(endpoint: string, key: string): Promise<string> {
  const res = await fetch(`${endpoint}/${Bucket}/${key}?uploads`, { method: 'POST' })
  expect(res.status).toBe(200)
  return /<UploadId>([^<]+)<\/UploadId>/.exec(await res.text())?.[1] as string
}

async function uploadPart(endpoint: string, key: string, uploadId: string, n: number, body: Buffer): Promise<string> {
  const res = await fetch(`${endpoint}/${Bucket}/${key}?partNumber=${n}&uploadId=${uploadId}`, {
    method: 'PUT',
    body
  })
  expect(res.status).toBe(200)
  return res.headers.get('etag') as string
}

function completeBody(parts: [number, string][]): string {
  const xml = parts.map(([n, etag]) => `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>`)
  return `<CompleteMultipartUpload>${xml.join('')}</CompleteMultipartUpload>`
}

async function complete(endpoint: string, key: string, uploadId: string, parts: [number, string][]) {
  return fetch(`${endpoint}/${Bucket}/${key}?uploadId=${uploadId}`, { method: 'POST', body: completeBody(parts) })
}

function compositeEtag(bodies: Buffer[]): string {
  const joined = Buffer.concat(bodies.map((body) => Buffer.from(md5(body), 'hex')))
  return `"${md5(joined)}-${bodies.length}"`
}

async function getRange(key: string, range?: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${server.endpoint}/${Bucket}/${key}`, { headers: range ? { range } : {} })
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) }
}

describe('multipart objects as extents', () => {
  const parts = [randomBytes(MiB + 17), randomBytes(MiB + 5), randomBytes(3333)]
  const whole = Buffer.concat(parts)
  const boundary = parts[0]!.length

  it('completes without adding a blob file, with the composite ETag', async () => {
    const uploadId = await initiate(server.endpoint, 'ext/a.bin')
    const etags: [number, string][] = []
    for (const [i, body] of parts.entries())
      etags.push([i + 1, await uploadPart(server.endpoint, 'ext/a.bin', uploadId, i + 1, body)])
    const before = blobFiles(server.dataDir).length
    const res = await complete(server.endpoint, 'ext/a.bin', uploadId, etags)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain(compositeEtag(parts).replaceAll('"', '&quot;'))
    expect(blobFiles(server.dataDir).length).toBe(before)
    const got = await getRange('ext/a.bin')
    expect(got.status).toBe(200)
    expect(md5(got.bytes)).toBe(md5(whole))
  })

  it('serves ranges across, at and inside part boundaries', async () => {
    const cases: [string, number, number][] = [
      [`bytes=${boundary - 10}-${boundary + 9}`, boundary - 10, boundary + 9],
      [`bytes=${boundary}-${boundary}`, boundary, boundary],
      [`bytes=${boundary - 1}-${boundary - 1}`, boundary - 1, boundary - 1],
      [`bytes=5-${whole.length - 6}`, 5, whole.length - 6],
      ['bytes=-4000', whole.length - 4000, whole.length - 1],
      [`bytes=${boundary + parts[1]!.length + 10}-`, boundary + parts[1]!.length + 10, whole.length - 1]
    ]
    for (const [range, start, end] of cases) {
      const got = await getRange('ext/a.bin', range)
      expect(got.status, range).toBe(206)
      expect(got.bytes.equals(whole.subarray(start, end + 1)), range).toBe(true)
    }
  })

  it('copies a composite (Copy Object) and a range across parts (Upload Part - Copy)', async () => {
    const copy = await fetch(`${server.endpoint}/${Bucket}/ext/copy.bin`, {
      method: 'PUT',
      headers: { 'x-cos-copy-source': `${Bucket}.cos.ap-guangzhou.myqcloud.com/ext/a.bin` }
    })
    expect(copy.status).toBe(200)
    const uploadId = await initiate(server.endpoint, 'ext/part-copy.bin')
    const res = await fetch(`${server.endpoint}/${Bucket}/ext/part-copy.bin?partNumber=1&uploadId=${uploadId}`, {
      method: 'PUT',
      headers: {
        'x-cos-copy-source': `${Bucket}.cos.ap-guangzhou.myqcloud.com/ext/a.bin`,
        'x-cos-copy-source-range': `bytes=${boundary - 100}-${boundary + 99}`
      }
    })
    expect(res.status).toBe(200)
    const etag = /<ETag>([^<]+)<\/ETag>/.exec(await res.text())?.[1] as string
    expect((await complete(server.endpoint, 'ext/part-copy.bin', uploadId, [[1, etag]])).status).toBe(200)
    // the copy keeps its own files: deleting the source leaves it whole
    expect((await fetch(`${server.endpoint}/${Bucket}/ext/a.bin`, { method: 'DELETE' })).status).toBe(204)
    expect(md5((await getRange('ext/copy.bin')).bytes)).toBe(md5(whole))
    const range = await getRange('ext/copy.bin', `bytes=${boundary - 3}-${boundary + 2}`)
    expect(range.bytes.equals(whole.subarray(boundary - 3, boundary + 3))).toBe(true)
    expect((await getRange('ext/part-copy.bin')).bytes.equals(whole.subarray(boundary - 100, boundary + 100))).toBe(
      true
    )
  })

  it('removes the files of replaced, unnamed and aborted parts, and of an overwritten composite', async () => {
    const base = blobFiles(server.dataDir).length
    const uploadId = await initiate(server.endpoint, 'ext/b.bin')
    await uploadPart(server.endpoint, 'ext/b.bin', uploadId, 1, randomBytes(MiB))
    const one = randomBytes(MiB)
    const etag1 = await uploadPart(server.endpoint, 'ext/b.bin', uploadId, 1, one) // replaces the first
    const two = randomBytes(100)
    const etag2 = await uploadPart(server.endpoint, 'ext/b.bin', uploadId, 2, two)
    await uploadPart(server.endpoint, 'ext/b.bin', uploadId, 3, randomBytes(200)) // left out of Complete
    await waitFor(() => blobFiles(server.dataDir).length === base + 3, 'the replaced part is removed')
    expect(
      (
        await complete(server.endpoint, 'ext/b.bin', uploadId, [
          [1, etag1],
          [2, etag2]
        ])
      ).status
    ).toBe(200)
    await waitFor(() => blobFiles(server.dataDir).length === base + 2, 'the unnamed part is removed')
    expect((await getRange('ext/b.bin')).bytes.equals(Buffer.concat([one, two]))).toBe(true)

    const aborted = await initiate(server.endpoint, 'ext/c.bin')
    await uploadPart(server.endpoint, 'ext/c.bin', aborted, 1, randomBytes(300))
    await uploadPart(server.endpoint, 'ext/c.bin', aborted, 2, randomBytes(300))
    expect(blobFiles(server.dataDir).length).toBe(base + 4)
    expect(
      (await fetch(`${server.endpoint}/${Bucket}/ext/c.bin?uploadId=${aborted}`, { method: 'DELETE' })).status
    ).toBe(204)
    await waitFor(() => blobFiles(server.dataDir).length === base + 2, 'the aborted parts are removed')

    expect((await fetch(`${server.endpoint}/${Bucket}/ext/b.bin`, { method: 'PUT', body: 'small' })).status).toBe(200)
    await waitFor(() => blobFiles(server.dataDir).length === base, 'the overwritten composite is removed')
    const rows = server.db.prepare('SELECT COUNT(*) AS n FROM cos_extents').get() as { n: number }
    // ext/copy.bin is the only composite left
    expect(rows.n).toBe(3)
  })

  it('finishes a GET that started before the object was overwritten', async () => {
    const uploadId = await initiate(server.endpoint, 'ext/d.bin')
    const bodies = [randomBytes(4 * MiB), randomBytes(4 * MiB), randomBytes(MiB)]
    const etags: [number, string][] = []
    for (const [i, body] of bodies.entries())
      etags.push([i + 1, await uploadPart(server.endpoint, 'ext/d.bin', uploadId, i + 1, body)])
    expect((await complete(server.endpoint, 'ext/d.bin', uploadId, etags)).status).toBe(200)
    const res = await fetch(`${server.endpoint}/${Bucket}/ext/d.bin`)
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(first.done).toBe(false)
    expect((await fetch(`${server.endpoint}/${Bucket}/ext/d.bin`, { method: 'DELETE' })).status).toBe(204)
    const chunks = [Buffer.from(first.value!)]
    for (;;) {
      const next = await reader.read()
      if (next.done) break
      chunks.push(Buffer.from(next.value))
    }
    expect(md5(Buffer.concat(chunks))).toBe(md5(Buffer.concat(bodies)))
  })
})

function startChild(dataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /PORT (\d+)/.exec(out)
      if (match) resolve({ child, endpoint: `http://127.0.0.1:${match[1]}` })
    })
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)))
  })
}

describe('kill -9 around Complete', () => {
  it('leaves the upload or the whole object, and the sweep reclaims what nothing references', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-extents-crash-'))
    dirs.push(dataDir)
    const first = await startChild(dataDir)
    expect((await fetch(`${first.endpoint}/${Bucket}`, { method: 'PUT' })).status).toBe(200)
    const outcomes: string[] = []
    const uploads: { key: string; uploadId: string; bodies: Buffer[]; etags: [number, string][] }[] = []
    for (let i = 0; i < 6; i++) {
      const key = `crash/${i}.bin`
      const uploadId = await initiate(first.endpoint, key)
      const bodies = [randomBytes(MiB), randomBytes(1000)]
      const etags: [number, string][] = []
      for (const [n, body] of bodies.entries())
        etags.push([n + 1, await uploadPart(first.endpoint, key, uploadId, n + 1, body)])
      await uploadPart(first.endpoint, key, uploadId, 3, randomBytes(500)) // never named: reclaimed
      uploads.push({ key, uploadId, bodies, etags })
    }
    // Complete them all at once and kill the server while they run
    const completing = uploads.map((u) =>
      complete(first.endpoint, u.key, u.uploadId, u.etags).then(
        (res) => outcomes.push(`${u.key}:${res.status}`),
        () => outcomes.push(`${u.key}:cut`)
      )
    )
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 8)))
    const exited = new Promise((resolve) => first.child.once('exit', resolve))
    first.child.kill('SIGKILL')
    await exited
    await Promise.all(completing)
    // what the first run left is older than the next start (as after any real restart)
    const past = new Date(Date.now() - 60_000)
    for (const file of blobFiles(dataDir)) utimesSync(file, past, past)

    const second = await startChild(dataDir)
    for (const u of uploads) {
      const acknowledged = outcomes.includes(`${u.key}:200`)
      const got = await fetch(`${second.endpoint}/${Bucket}/${u.key}`)
      if (got.status === 200) {
        expect(got.headers.get('etag')).toBe(compositeEtag(u.bodies))
        expect(md5(Buffer.from(await got.arrayBuffer()))).toBe(md5(Buffer.concat(u.bodies)))
        const parts = await fetch(`${second.endpoint}/${Bucket}/${u.key}?uploadId=${u.uploadId}`)
        expect(parts.status).toBe(404)
      } else {
        expect(acknowledged, u.key).toBe(false)
        expect(got.status).toBe(404)
        // the upload is intact: completing it now works
        expect((await complete(second.endpoint, u.key, u.uploadId, u.etags)).status).toBe(200)
        const again = await fetch(`${second.endpoint}/${Bucket}/${u.key}`)
        expect(md5(Buffer.from(await again.arrayBuffer()))).toBe(md5(Buffer.concat(u.bodies)))
      }
    }
    // every object is now two extents; the third part of each upload was never named
    await waitFor(() => blobFiles(dataDir).length === uploads.length * 2, 'unreferenced part files are swept')
    second.child.kill('SIGKILL')
    const db = openDatabase(dataDir)
    const extents = db.prepare('SELECT COUNT(*) AS n FROM cos_extents').get() as { n: number }
    const parts = db.prepare('SELECT COUNT(*) AS n FROM cos_parts').get() as { n: number }
    db.close()
    expect(extents.n).toBe(uploads.length * 2)
    expect(parts.n).toBe(0)
  })
})
