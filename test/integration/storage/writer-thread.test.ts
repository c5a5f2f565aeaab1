/**
 * The writer thread (store/writer-thread.ts): a group commit's recorded writes commit on a
 * worker's connection; a group that needs its own writes back commits here instead; a write
 * outside the group commit waits for the thread's COMMIT; a failed group commits unit by unit
 * here; and through the COS API, a PUT acknowledged after the thread's COMMIT is what every
 * read sees next (the read cache included).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { databaseFile, openDatabase, type Db } from '../../../main/store/db.ts'
import { createGroupCommit } from '../../../main/store/group-commit.ts'
import { startWriterThread, type WriterThread } from '../../../main/store/writer-thread.ts'
import { startTestCosServer } from '../../helpers/cos-server.ts'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cos-writer-'))
  dirs.push(dir)
  return dir
}

async function ready(writer: WriterThread | undefined): Promise<WriterThread> {
  if (!writer) throw new Error('the writer thread did not start')
  for (let i = 0; i < 200 && !writer.ready; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  expect(writer.ready).toBe(true)
  return writer
}

/** A database with table t, its writer thread, and a group commit handing groups to it. */
async function withWriter(): Promise<{ db: Db; writer: WriterThread; group: ReturnType<typeof createGroupCommit> }> {
  const dir = tempDir()
  const db = openDatabase(dir)
  db.exec('CREATE TABLE t (v TEXT PRIMARY KEY, n INTEGER)')
  const writer = await ready(startWriterThread(db, databaseFile(dir), { fsync: false }))
  const group = createGroupCommit(db, { afterCommit: () => undefined, writer, maxHandedOver: 5000 })
  return { db, writer, group }
}

const values = (db: Db): string[] =>
  (db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((row) => row.v)

describe('writer thread', () => {
  it('commits a group on the thread; a group the thread cannot commit commits unit by unit here', async () => {
    const { db, writer, group } = await withWriter()
    const insert = db.prepare('INSERT INTO t (v, n) VALUES (?, ?)')
    const results = await Promise.all(['a', 'b', 'c'].map((v, n) => group(() => (insert.run(v, n), v))))
    expect(results).toEqual(['a', 'b', 'c'])
    expect(writer.handed.groups).toBe(1)
    expect(values(db)).toEqual(['a', 'b', 'c'])

    // the duplicate fails in the thread's transaction: the group is undone there and each unit
    // commits alone here, so only the duplicate rejects
    const settled = await Promise.allSettled([group(() => insert.run('d', 1)), group(() => insert.run('a', 2))])
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected'])
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/)
    expect(writer.handed.groups).toBe(2)
    expect(values(db)).toEqual(['a', 'b', 'c', 'd'])
    await writer.close()
    db.close()
  })

  it('commits here a group that reads what its own writes changed, and one whose unit throws', async () => {
    const { db, writer, group } = await withWriter()
    const insert = db.prepare('INSERT INTO t (v, n) VALUES (?, ?)')
    // `changes` of a recorded write is not known before the thread runs it
    const [, changes] = await Promise.all([group(() => insert.run('w', 1)), group(() => insert.run('x', 1).changes)])
    expect(changes).toBe(1)
    // a write that returns rows
    const returning = db.prepare('UPDATE t SET n = n + 1 WHERE v = ? RETURNING n')
    const bumped = await Promise.all([group(() => insert.run('v', 1)), group(() => returning.get('x'))])
    expect((bumped[1] as { n: number }).n).toBe(2)
    expect(writer.handed.groups).toBe(0)
    // a lone write commits here without asking (no hop to the thread and back)
    await group(() => insert.run('u', 1))
    expect(writer.handed.groups).toBe(0)

    const settled = await Promise.allSettled([
      group(() => insert.run('y', 1)),
      group(() => {
        insert.run('z', 1)
        throw new Error('the unit fails after writing')
      })
    ])
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected'])
    expect(values(db)).toEqual(['u', 'v', 'w', 'x', 'y'])
    expect(writer.handed.groups).toBe(0)
    await writer.close()
    db.close()
  })

  it('makes a write outside the group commit wait for the COMMIT of the group in flight', async () => {
    const { db, writer, group } = await withWriter()
    const insert = db.prepare('INSERT INTO t (v, n) VALUES (?, ?)')
    // a group large enough to keep the thread busy for a while (3,000 rows of 1 KiB)
    const filler = Buffer.alloc(1024, 1)
    const pending = Array.from({ length: 3000 }, (_, i) =>
      group(() => insert.run(`g${String(i).padStart(4, '0')}`, filler))
    )
    // the group is handed over on the next turn; this write comes right after it
    const outside = new Promise<{ inFlight: boolean; count: number }>((resolve) =>
      setImmediate(() => {
        const inFlight = db.recorder.inFlight
        db.prepare('INSERT INTO t (v, n) VALUES (?, ?)').run('outside', 0)
        const count = (db.prepare("SELECT count(*) AS n FROM t WHERE v LIKE 'g%'").get() as { n: number }).n
        resolve({ inFlight, count })
      })
    )
    const seen = await outside
    await Promise.all(pending)
    expect(writer.handed.groups).toBe(1)
    // it ran after the thread's COMMIT (all 3,000 rows were there), without a busy error
    expect(seen).toEqual({ inFlight: true, count: 3000 })
    expect(values(db)).toHaveLength(3001)
    await writer.close()
    db.close()
  })

  it('closes a thread that failed on its own before close was asked', async () => {
    const dir = tempDir()
    const db = openDatabase(dir)
    // the thread cannot open this file: it fails and exits on its own
    const writer = startWriterThread(db, join(dir, 'missing', 'cos-local.db'), { fsync: false })!
    const group = createGroupCommit(db, { afterCommit: () => undefined, writer })
    db.exec('CREATE TABLE t (v TEXT PRIMARY KEY, n INTEGER)')
    const insert = db.prepare('INSERT INTO t (v, n) VALUES (?, ?)')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(writer.ready).toBe(false)
    await Promise.all([group(() => insert.run('a', 1)), group(() => insert.run('b', 2))])
    expect(values(db)).toEqual(['a', 'b'])
    await writer.close()
    expect(writer.handed.groups).toBe(0)
    db.close()
  })

  it('goes on committing here once the thread is gone', async () => {
    const { db, writer, group } = await withWriter()
    const insert = db.prepare('INSERT INTO t (v, n) VALUES (?, ?)')
    await writer.close()
    expect(writer.ready).toBe(false)
    await Promise.all([group(() => insert.run('after', 1)), group(() => insert.run('close', 2))])
    expect(values(db)).toEqual(['after', 'close'])
    expect(writer.handed.groups).toBe(0)
    db.close()
  })
})

describe('writer thread behind the COS API', () => {
  it('acknowledges PUTs after the COMMIT: reads, the read cache and a key written twice in one group agree', async () => {
    const server = await startTestCosServer({ writerThread: true })
    try {
      const writer = await ready(server.writer)
      const bucket = 'writer-1250000000'
      server.store.createBucket(bucket, 'ap-guangzhou')
      const url = (key: string): string => `${server.endpoint}/${bucket}/${key}`
      const put = async (key: string, body: string): Promise<void> => {
        const res = await fetch(url(key), { method: 'PUT', body })
        expect(res.status).toBe(200)
      }
      const get = async (key: string): Promise<string> => (await fetch(url(key))).text()

      await Promise.all(Array.from({ length: 40 }, (_, i) => put(`k${i}`, `body ${i}`)))
      expect(writer.handed.groups).toBeGreaterThan(0)
      expect(await get('k7')).toBe('body 7')

      // the cache holds v1; GETs run while v2 is in the thread's hands; after the PUT's answer
      // every GET sees v2
      await get('k7')
      const reads: Promise<string>[] = []
      const overwrite = put('k7', 'body 7, second')
      for (let i = 0; i < 20; i++) reads.push(get('k7'))
      await overwrite
      await Promise.all(reads)
      for (let i = 0; i < 5; i++) expect(await get('k7')).toBe('body 7, second')

      // the same key twice in one turn: the group reads what the first wrote, so it commits here
      await Promise.all([put('twice', 'first'), put('twice', 'second')])
      expect(['first', 'second']).toContain(await get('twice'))
      const rows = server.db
        .prepare('SELECT count(*) AS n FROM cos_objects WHERE bucket = ? AND key = ?')
        .get(bucket, 'twice') as { n: number }
      expect(rows.n).toBe(1)
    } finally {
      await server.close()
    }
  })
})
