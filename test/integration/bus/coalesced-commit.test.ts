/**
 * The delivery executor's coalesced commit (bus/coalesced-commit.ts) on a real database: units
 * wait for a window and share one commit, or ride in another transaction that is about to
 * commit (the storage's group commit); when that transaction rolls back, or a unit fails in it,
 * the units are committed as if they had never left, and only a failing unit fails.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { coalescedCommit } from '../../../main/bus/coalesced-commit.ts'
import { openDatabase, type Db } from '../../../main/store/db.ts'
import { createGroupCommit } from '../../../main/store/group-commit.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-coalesced-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let folders = 0
function setup(windowMs = 1000): { db: Db; commits: () => number; coalesced: ReturnType<typeof coalescedCommit> } {
  const db = openDatabase(join(root, String(folders++)))
  db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)')
  let commits = 0
  const coalesced = coalescedCommit(
    db,
    createGroupCommit(db, () => commits++),
    windowMs
  )
  return { db, commits: () => commits, coalesced }
}

const values = (db: Db): string[] =>
  (db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((row) => row.v)
const insert = (db: Db, v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes

describe('coalesced commit', () => {
  it('commits the units of a window together, after the window', async () => {
    const { db, commits, coalesced } = setup(20)
    const done = Promise.all([coalesced(insert(db, 'a')), coalesced(insert(db, 'b'))])
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(values(db)).toEqual([])
    expect(await done).toEqual([1, 1])
    expect(values(db)).toEqual(['a', 'b'])
    expect(commits()).toBe(1)
  })

  it('rides in a transaction that commits: no commit of its own, settled after that commit', async () => {
    const { db, commits, coalesced } = setup()
    let settled = false
    const done = coalesced(insert(db, 'a')).then((value) => {
      settled = true
      return value
    })
    db.prepare('BEGIN').run()
    insert(db, 'host')()
    const after = coalesced.ride()
    expect(after).toBeTypeOf('function')
    expect(coalesced.ride()).toBeUndefined() // nothing waits any more
    db.prepare('COMMIT').run()
    await Promise.resolve()
    expect(settled).toBe(false) // only once the host says it committed
    after!()
    expect(await done).toBe(1)
    expect(values(db)).toEqual(['a', 'host'])
    expect(commits()).toBe(0)
  })

  it('commits the units alone when the host transaction rolls back', async () => {
    const { db, commits, coalesced } = setup()
    const done = Promise.all([coalesced(insert(db, 'a')), coalesced(insert(db, 'b'))])
    db.prepare('BEGIN').run()
    const after = coalesced.ride()
    expect(values(db)).toEqual(['a', 'b']) // inside the host transaction
    db.prepare('ROLLBACK').run()
    expect(after).toBeTypeOf('function')
    expect(await done).toEqual([1, 1])
    expect(values(db)).toEqual(['a', 'b'])
    expect(commits()).toBe(1)
  })

  it('a unit that fails while riding undoes only the ride; alone, only it fails', async () => {
    const { db, coalesced } = setup()
    db.prepare('INSERT INTO t (v) VALUES (?)').run('taken')
    const ok = coalesced(insert(db, 'a'))
    const failing = coalesced(insert(db, 'taken'))
    db.prepare('BEGIN').run()
    insert(db, 'host')()
    expect(coalesced.ride()).toBeUndefined()
    db.prepare('COMMIT').run()
    expect(values(db)).toEqual(['host', 'taken'])
    expect(await ok).toBe(1)
    await expect(failing).rejects.toThrow(/UNIQUE/)
    expect(values(db)).toEqual(['a', 'host', 'taken'])
  })
})
