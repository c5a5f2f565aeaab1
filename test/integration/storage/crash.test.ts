/**
 * kill -9 while PUTs are in flight: after a restart on the same data folder every
 * acknowledged object — small ones stored inline in the database and larger ones in blob
 * files — is readable with its MD5, nothing half-written is visible, each acknowledged
 * write has its event queued, temp files are swept and no inline body is left unreferenced.
 * Run without and with --fsync (the same guarantees; fsync adds machine-crash safety).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../main/store/db.ts'
import { EventQueue } from '../../../main/store/event-queue.ts'
import { INLINE_MAX_BYTES } from '../../../main/store/inline-blobs.ts'

const CHILD = join(import.meta.dirname, '..', '..', 'fixtures', 'cos-child.ts')
const Bucket = 'crash-1250000000'
const dirs: string[] = []
const children: ChildProcess[] = []

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function startChild(dataDir: string, flags: string[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, ...flags], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
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

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex')

/** Even writers send inline-sized bodies (up to 64 KiB), odd writers blob-file-sized ones. */
function bodyFor(worker: number): Buffer {
  const small = worker % 2 === 0
  return randomBytes(
    small
      ? 1 + Math.floor(Math.random() * INLINE_MAX_BYTES)
      : INLINE_MAX_BYTES + 1 + Math.floor(Math.random() * 512 * 1024)
  )
}

describe('crash safety', () => {
  it.each([[[]], [['--fsync']], [['--writer-thread']]])(
    'keeps every acknowledged object after kill -9 mid-flight %j',
    async (flags: string[]) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-crash-'))
      dirs.push(dataDir)
      const first = await startChild(dataDir, flags)
      expect((await fetch(`${first.endpoint}/${Bucket}`, { method: 'PUT' })).status).toBe(200)

      const acknowledged = new Map<string, string>()
      const sizes = new Map<string, number>()
      const attempted = new Map<string, Set<string>>()
      let killed = false
      const writer = async (worker: number) => {
        for (let i = 0; !killed; i++) {
          const key = `w${worker}/obj-${i % 7}`
          const body = bodyFor(worker)
          const hash = md5(body)
          if (!attempted.has(key)) attempted.set(key, new Set())
          attempted.get(key)?.add(hash)
          try {
            const res = await fetch(`${first.endpoint}/${Bucket}/${key}`, { method: 'PUT', body })
            if (res.status === 200 && !killed) {
              expect(res.headers.get('etag')).toBe(`"${hash}"`)
              acknowledged.set(key, hash)
              sizes.set(key, body.length)
            }
          } catch {
            return // the server is gone
          }
        }
      }
      const writers = Array.from({ length: 12 }, (_, w) => writer(w))
      const kinds = () => [...sizes.values()].map((size) => size <= INLINE_MAX_BYTES)
      while (acknowledged.size < 40 || !kinds().includes(true) || !kinds().includes(false)) {
        await new Promise((r) => setTimeout(r, 10))
      }
      const exited = new Promise((resolve) => first.child.once('exit', resolve))
      first.child.kill('SIGKILL')
      killed = true
      await exited
      // acknowledgements that raced with the kill still count: they were sent after the commit
      await Promise.all(writers)

      const second = await startChild(dataDir, flags)
      for (const [key, hash] of acknowledged) {
        const res = await fetch(`${second.endpoint}/${Bucket}/${key}`)
        expect(res.status, key).toBe(200)
        const bytes = Buffer.from(await res.arrayBuffer())
        // a later write to the same key may have committed just before the kill
        expect(attempted.get(key)?.has(md5(bytes)), key).toBe(true)
        if (md5(bytes) !== hash) expect(res.headers.get('etag')).toBe(`"${md5(bytes)}"`)
      }
      const listing = await (await fetch(`${second.endpoint}/${Bucket}?max-keys=1000`)).text()
      const keys = [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1] as string)
      expect(keys.length).toBeGreaterThanOrEqual(acknowledged.size)
      for (const key of keys) {
        const res = await fetch(`${second.endpoint}/${Bucket}/${key}`)
        const bytes = Buffer.from(await res.arrayBuffer())
        expect(res.headers.get('etag')).toBe(`"${md5(bytes)}"`)
        expect(attempted.get(key)?.has(md5(bytes))).toBe(true)
      }
      expect(readdirSync(join(dataDir, 'tmp'))).toEqual([])
      second.child.kill('SIGKILL')

      const db = openDatabase(dataDir)
      const queue = new EventQueue(db)
      const events = queue.pending(0, 100_000).map((p) => p.event)
      // an inline body lives in its version row: every inline version has its bytes
      const bodiless = db
        .prepare(`SELECT COUNT(*) AS n FROM cos_objects WHERE substr(blob, 1, 1) = 'i' AND inline_bytes IS NULL`)
        .get() as { n: number }
      db.close()
      expect(bodiless.n).toBe(0)
      for (const [key, hash] of acknowledged) {
        expect(
          events.some((e) => e.key === key && e.etag === hash && e.name === 'cos:ObjectCreated:Put'),
          key
        ).toBe(true)
      }
    }
  )
})
