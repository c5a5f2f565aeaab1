/** The durable event queue: marking handled events done, and pruning what every reader has passed. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ObjectEvent } from '../../../main/core/events/object-event.ts'
import { openDatabase, type Db } from '../../../main/store/db.ts'
import { EventQueue } from '../../../main/store/event-queue.ts'
import { createGroupCommit } from '../../../main/store/group-commit.ts'

const event = (key: string): ObjectEvent => ({
  name: 'cos:ObjectCreated:Put',
  bucket: 'b-1250000000',
  region: 'ap-guangzhou',
  key,
  versionId: '',
  size: 1,
  etag: '"x"',
  meta: {},
  requestId: 'r',
  sourceIp: '127.0.0.1',
  authorization: '',
  time: 0
})

describe('event queue pruning', () => {
  let dir: string
  let db: Db

  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const fill = (queue: EventQueue, count: number): void =>
    db.transaction(() => queue.append(Array.from({ length: count }, (_, i) => event(`k${i}`))))()

  const rows = (): number => Number((db.prepare('SELECT COUNT(*) AS n FROM object_events').get() as { n: number }).n)

  it('deletes handled events beyond the newest 10,000 and never a pending one', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const queue = new EventQueue(db)
    fill(queue, 12_500)
    db.transaction(() => {
      for (const { seq } of queue.pending(0, 12_000)) queue.markDone(seq)
    })()
    queue.prune()
    expect(rows()).toBe(10_000)
    expect(queue.pending(0, 1000)).toHaveLength(500)
  })

  it('keeps what a second reader has not read yet', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const queue = new EventQueue(db)
    queue.addReader(() => 100)
    fill(queue, 12_000)
    db.transaction(() => {
      for (const { seq } of queue.pending(0, 12_000)) queue.markDone(seq)
    })()
    queue.prune()
    expect(rows()).toBe(12_000 - 100)
    expect(queue.since(100, 1)[0]!.seq).toBe(101)
  })
})

describe('event queue: markDoneThrough', () => {
  let dir: string
  let db: Db
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('marks exactly the oldest pending batch, leaving later events pending', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const queue = new EventQueue(db)
    db.transaction(() => queue.append(['a', 'b', 'c', 'd', 'e'].map(event)))()
    const first = queue.pending(0, 3)
    expect(first.map((p) => p.event.key)).toEqual(['a', 'b', 'c'])
    db.transaction(() => queue.markDoneThrough(first[2]!.seq))()
    expect(queue.pending(0, 10).map((p) => p.event.key)).toEqual(['d', 'e'])
    expect(queue.since(0, 10).map((p) => p.event.key)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('prunes handled events once enough were marked', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const queue = new EventQueue(db)
    const count = 10_000 + 1_500
    db.transaction(() => queue.append(Array.from({ length: count }, (_, i) => event(`k${i}`))))()
    for (;;) {
      const batch = queue.pending(0, 200)
      if (batch.length === 0) break
      db.transaction(() => queue.markDoneThrough(batch[batch.length - 1]!.seq))()
    }
    const rows = Number((db.prepare('SELECT COUNT(*) AS n FROM object_events').get() as { n: number }).n)
    expect(rows).toBeLessThan(count)
    expect(rows).toBeGreaterThanOrEqual(10_000)
  })
})

describe('event queue: events handed back from memory', () => {
  let dir: string
  let db: Db
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('never hands back a rolled-back event, and never gives its seq again', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const queue = new EventQueue(db)
    db.transaction(() => queue.append([event('kept')]))()
    expect(() =>
      db.transaction(() => {
        queue.append([event('rolled-back')])
        throw new Error('abort')
      })()
    ).toThrow('abort')
    db.transaction(() => queue.append([event('after')]))()
    const pending = queue.pending(0, 10)
    expect(pending.map((p) => p.event.key)).toEqual(['kept', 'after'])
    expect(pending[1]!.seq).toBe(pending[0]!.seq + 2) // the rolled-back event's seq stays unused
    expect(queue.since(0, 10).map((p) => p.event.key)).toEqual(['kept', 'after'])
  })

  it('reads events from the table when they are not in memory (a restart)', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const first = new EventQueue(db)
    db.transaction(() => first.append([event('a'), event('b')]))()
    const reopened = new EventQueue(db)
    expect(reopened.pending(0, 10).map((p) => p.event.key)).toEqual(['a', 'b'])
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT seq FROM object_events WHERE done = 0 AND seq > ? ORDER BY seq')
      .all(0)
    expect(JSON.stringify(plan)).toContain('object_events_pending')
  })
})

describe('event queue: seqs', () => {
  let dir: string
  let db: Db
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const seqs = (queue: EventQueue): number[] => queue.since(0, 100_000).map((p) => p.seq)

  it('never go back: across a restart, after pruning, and past the event history', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const first = new EventQueue(db)
    db.transaction(() => first.append(Array.from({ length: 10_200 }, (_, i) => event(`k${i}`))))()
    db.transaction(() => first.markDoneThrough(Number.MAX_SAFE_INTEGER))()
    first.prune() // (marking that many done pruned already)
    expect(seqs(first)).toHaveLength(10_000)
    const last = Math.max(...seqs(first))
    db.close()

    db = openDatabase(dir)
    const reopened = new EventQueue(db)
    db.transaction(() => reopened.append([event('after restart')]))()
    expect(Math.max(...seqs(reopened))).toBe(last + 1)

    // the event history can hold a newer seq than the queue (its retention is separate)
    db.exec(`CREATE TABLE IF NOT EXISTS recent_events (seq INTEGER PRIMARY KEY)`)
    db.prepare('INSERT INTO recent_events (seq) VALUES (?)').run(last + 50)
    db.close()
    db = openDatabase(dir)
    const third = new EventQueue(db)
    db.transaction(() => third.append([event('past history')]))()
    expect(Math.max(...seqs(third))).toBe(last + 51)
  })

  it('a data folder whose queue used AUTOINCREMENT keeps its events and counts on from them', () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    // the queue as migrations 'event-queue-1' and 'event-queue-2-partial-pending' left it
    db.exec(`CREATE TABLE object_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL,
      created_at INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0)`)
    db.exec('CREATE INDEX object_events_pending ON object_events (seq) WHERE done = 0')
    db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
    db.exec(`INSERT INTO schema_migrations VALUES ('event-queue-1', 0), ('event-queue-2-partial-pending', 0)`)
    const insert = db.prepare('INSERT INTO object_events (event, created_at, done) VALUES (?, 0, ?)')
    for (let i = 0; i < 30; i++) insert.run(JSON.stringify(event(`old${i}`)), i < 20 ? 1 : 0)
    db.exec('DELETE FROM object_events WHERE seq <= 5') // pruned long ago
    db.close()

    db = openDatabase(dir)
    const queue = new EventQueue(db)
    expect(queue.pending(0, 100).map((p) => p.event.key)).toEqual(Array.from({ length: 10 }, (_, i) => `old${20 + i}`))
    expect(seqs(queue)).toEqual(Array.from({ length: 25 }, (_, i) => i + 6))
    db.transaction(() => queue.append([event('new')]))()
    expect(queue.pending(0, 100).at(-1)).toMatchObject({ seq: 31, event: { key: 'new' } })
    const schema = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'object_events'").get() as { sql: string }
    expect(schema.sql).not.toContain('AUTOINCREMENT')
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT seq FROM object_events WHERE done = 0 AND seq > ? ORDER BY seq')
      .all(0)
    expect(JSON.stringify(plan)).toContain('object_events_pending')
  })
})

describe('event queue: staged in a group commit', () => {
  let dir: string
  let db: Db
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const doneOf = (): Record<string, number> =>
    Object.fromEntries(
      (db.prepare('SELECT event, done FROM object_events ORDER BY seq').all() as { event: string; done: number }[]).map(
        (row) => [(JSON.parse(row.event) as ObjectEvent).key, row.done]
      )
    )

  it('commits the events the in-commit consumer took as done, the others pending, in order', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-queue-'))
    db = openDatabase(dir)
    const queue = new EventQueue(db)
    db.transaction(() => queue.append([event('older')]))() // pending in the table before the group
    const taken: string[] = []
    queue.consumeInCommit(() => {
      for (const { event: e } of queue.pending(0, 10)) taken.push(e.key)
      queue.markDoneThrough(Number.MAX_SAFE_INTEGER)
      for (const { event: e } of queue.takeStaged()) taken.push(e.key)
      return undefined
    })
    const commit = createGroupCommit(db, {
      afterCommit: () => undefined,
      inCommit: () => queue.runInCommit(),
      staging: { begin: () => queue.beginGroup(), end: () => queue.endGroup(), abort: () => queue.abortGroup() }
    })
    await Promise.all(['a', 'b'].map((key) => commit(() => queue.append([event(key)]))))
    expect(taken).toEqual(['older', 'a', 'b'])
    expect(doneOf()).toEqual({ older: 1, a: 1, b: 1 })

    // a consumer that fails: its savepoint is rolled back, the group's events commit pending
    queue.consumeInCommit(() => {
      queue.takeStaged()
      throw new Error('fan-out failed')
    })
    const quiet = console.error
    console.error = () => undefined
    try {
      await commit(() => queue.append([event('c')]))
    } finally {
      console.error = quiet
    }
    expect(doneOf()).toMatchObject({ c: 0 })
    expect(queue.pending(0, 10).map((p) => p.event.key)).toEqual(['c'])

    // no consumer: pending
    queue.consumeInCommit(undefined)
    await commit(() => queue.append([event('d')]))
    expect(queue.pending(0, 10).map((p) => p.event.key)).toEqual(['c', 'd'])

    // a change of the group that fails: nothing of it is staged or committed
    await expect(
      commit(() => {
        queue.append([event('e')])
        throw new Error('bad change')
      })
    ).rejects.toThrow('bad change')
    expect(Object.keys(doneOf())).not.toContain('e')
    expect(queue.since(0, 10).map((p) => p.seq)).toEqual(
      [...queue.since(0, 10).map((p) => p.seq)].sort((x, y) => x - y)
    )
  })
})
