/**
 * Group commit: writes queued in the same turn of the event loop share one transaction;
 * when one fails, the group is rolled back and committed one by one, so only the failing
 * one rejects and the others commit. The in-commit step (the bus's fan-out) shares the
 * transaction; its own failure undoes only its part.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../../helpers/cos-server.ts'
import { openDatabase } from '../../../main/store/db.ts'
import { createGroupCommit, holdCommits } from '../../../main/store/group-commit.ts'
import { withStatementCache } from '../../../main/store/statement-cache.ts'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cos-group-'))
  dirs.push(dir)
  return dir
}

describe('group commit', () => {
  it('commits the units of one turn together; a failing unit rolls back alone', async () => {
    const db = openDatabase(tempDir())
    db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)')
    let commits = 0
    const group = createGroupCommit(db, () => commits++)
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
    const results = await Promise.allSettled([
      group(() => insert.run('a') && 'a'),
      group(() => {
        insert.run('b')
        throw new Error('unit b fails after writing')
      }),
      group(() => insert.run('a')), // duplicate key: a constraint error
      group(() => insert.run('c') && 'c')
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('unit b fails after writing')
    expect(commits).toBe(2) // the group failed, then 'a' and 'c' committed alone
    const rows = db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]
    expect(rows.map((row) => row.v)).toEqual(['a', 'c'])
    expect(db.inTransaction).toBe(false)

    await Promise.all([group(() => insert.run('d')), group(() => insert.run('e'))])
    expect(commits).toBe(3) // a group without failures commits once
    db.close()
  })

  it('runs the in-commit step inside the transaction, its announcement after the commit; a failing step is undone alone', async () => {
    const db = openDatabase(tempDir())
    db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)')
    db.exec('CREATE TABLE consumed (v TEXT PRIMARY KEY)')
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
    const consume = db.prepare('INSERT INTO consumed (v) SELECT v FROM t WHERE v NOT IN (SELECT v FROM consumed)')
    const seen: string[] = []
    let failStep = false
    const group = createGroupCommit(db, {
      afterCommit: () => seen.push('afterCommit'),
      inCommit: () => {
        expect(db.inTransaction).toBe(true)
        consume.run()
        if (failStep) throw new Error('the step fails after writing')
        return () => seen.push(`announced, in transaction: ${db.inTransaction}`)
      }
    })
    await Promise.all([group(() => insert.run('a')), group(() => insert.run('b'))])
    expect(seen).toEqual(['afterCommit', 'announced, in transaction: false'])
    const consumed = () => (db.prepare('SELECT v FROM consumed ORDER BY v').all() as { v: string }[]).map((r) => r.v)
    expect(consumed()).toEqual(['a', 'b'])

    failStep = true
    seen.length = 0
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(args)
    try {
      await group(() => insert.run('c'))
    } finally {
      console.error = original
    }
    expect(errors).toHaveLength(1)
    expect(seen).toEqual(['afterCommit']) // the write committed; the failed step announces nothing
    expect((db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v)).toEqual(['a', 'b', 'c'])
    expect(consumed()).toEqual(['a', 'b']) // the step's own insert was rolled back
    expect(db.inTransaction).toBe(false)
    db.close()
  })

  it('commits concurrent PUTs with their events; one to a bucket deleted meanwhile fails alone', async () => {
    const dataDir = tempDir()
    const { queue, store, close } = openTestStore(dataDir, { orphanSweepDelayMs: 60_000 })
    store.createBucket('keep-1250000000', 'ap-guangzhou')
    store.createBucket('gone-1250000000', 'ap-guangzhou')
    const ctx = { requestId: 'r', sourceIp: '127.0.0.1', authorization: '' }
    const put = (bucket: string, key: string) =>
      store.putObject(
        bucket,
        key,
        Readable.from([Buffer.from(key)]),
        { headers: { 'Content-Type': '' }, storageClass: 'STANDARD', contentLength: key.length },
        ctx
      )
    const puts = [put('keep-1250000000', 'one'), put('gone-1250000000', 'lost'), put('keep-1250000000', 'two')]
    // the bucket disappears after the PUT checked it and before the commit
    setImmediate(() => store.deleteBucket('gone-1250000000'))
    const results = await Promise.allSettled(puts)
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('NoSuchBucket')
    expect(
      store
        .listObjects('keep-1250000000', { prefix: '', delimiter: '', marker: '', maxKeys: 10 })
        .contents.map((o) => o.key)
    ).toEqual(['one', 'two'])
    const events = queue.pending(0, 100).map((p) => `${p.event.bucket}/${p.event.key}`)
    expect(events).toEqual(['keep-1250000000/one', 'keep-1250000000/two'])
    await close()
  })
  it('holds every group commit of the database until released; the writes of the hold commit as one group', async () => {
    const db = openDatabase(tempDir())
    db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)')
    let commits = 0
    const group = createGroupCommit(db, () => commits++)
    // another group commit on a statement-cache view of the same connection (as the bus has)
    const view = withStatementCache(db)
    const other = createGroupCommit(view, () => commits++)
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
    const count = (): number => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n

    const release = holdCommits(view)
    const settled: string[] = []
    const writes = [
      group(() => insert.run('a')).then(() => settled.push('a')),
      other(() => insert.run('b')).then(() => settled.push('b'))
    ]
    await new Promise((resolve) => setTimeout(resolve, 30))
    writes.push(group(() => insert.run('c')).then(() => settled.push('c')))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(settled).toEqual([])
    expect(count()).toBe(0)
    expect(db.inTransaction).toBe(false)

    release()
    release() // a second call does nothing
    await Promise.all(writes)
    expect(settled.sort()).toEqual(['a', 'b', 'c'])
    expect(count()).toBe(3)
    expect(commits).toBe(2) // one per group commit: 'a' and 'c' waited together

    // two holds: the commits wait for both
    const first = holdCommits(db)
    const second = holdCommits(db)
    let done = false
    const write = group(() => insert.run('d')).then(() => (done = true))
    first()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(done).toBe(false)
    second()
    await write
    expect(count()).toBe(4)
    db.close()
  })
})
