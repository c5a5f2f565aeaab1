/** The durable event queue: marking handled events done, and pruning what every reader has passed. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ObjectEvent } from '../../../main/core/events/object-event.ts'
import { openDatabase, type Db } from '../../../main/store/db.ts'
import { EventQueue } from '../../../main/store/event-queue.ts'

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

  it('never hands back a rolled-back event whose seq a later append got again', () => {
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
    expect(pending[1]!.seq).toBe(pending[0]!.seq + 1) // the rolled-back seq was given again
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
