/**
 * The event history's status index holds matched events only (migration
 * 'recent-events-3-matched-status-index'): a data folder with the old full index opens with
 * the new one, and every view still counts what it did, unmatched events included.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ObjectEvent } from '../../../main/core/events/object-event.ts'
import { openDatabase } from '../../../main/store/db.ts'
import { EventHistory } from '../../../main/store/event-history.ts'
import { InvocationStore } from '../../../main/store/invocation-store.ts'
import { RecentEvents } from '../../../main/store/recent-events.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-history-index-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const event = (i: number, bucket: string): ObjectEvent => ({
  name: 'cos:ObjectCreated:Put',
  bucket,
  region: 'ap-guangzhou',
  key: `k${i}`,
  versionId: '',
  size: 1,
  etag: '"x"',
  meta: {},
  requestId: `r${i}`,
  sourceIp: '127.0.0.1',
  authorization: '',
  time: i
})

describe('the history status index', () => {
  it('is rebuilt without unmatched events, and the counts stay', () => {
    const dataDir = join(root, 'old')
    let db = openDatabase(dataDir)
    // the table and indexes as migrations 'recent-events-1' and 'recent-events-2-history' left them
    db.exec(`CREATE TABLE recent_events (seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, name TEXT NOT NULL,
      bucket TEXT NOT NULL, region TEXT NOT NULL, object_key TEXT NOT NULL, request_id TEXT NOT NULL,
      explanations TEXT NOT NULL, invocations TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'unmatched',
      functions TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)`)
    db.exec('CREATE INDEX recent_events_key ON recent_events (bucket, object_key, seq)')
    db.exec('CREATE INDEX recent_events_status ON recent_events (status, seq)')
    db.exec('CREATE INDEX recent_events_request ON recent_events (request_id)')
    db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
    db.exec(`INSERT INTO schema_migrations VALUES ('recent-events-1', 0), ('recent-events-2-history', 0)`)
    const insert = db.prepare(
      `INSERT INTO recent_events (seq, time, name, bucket, region, object_key, request_id, explanations, invocations, status)
       VALUES (?, ?, 'cos:ObjectCreated:Put', ?, 'ap-guangzhou', ?, ?, '[]', ?, ?)`
    )
    // 30 events: every third one failed in bucket a, the rest unmatched (in buckets a and b)
    for (let i = 1; i <= 30; i++) {
      const failed = i % 3 === 0
      insert.run(i, i, i % 2 ? 'a' : 'b', `k${i}`, `r${i}`, failed ? '["x"]' : '[]', failed ? 'failed' : 'unmatched')
    }
    db.close()

    db = openDatabase(dataDir)
    new InvocationStore(db)
    const recent = new RecentEvents(db)
    const history = new EventHistory(db)
    const index = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'recent_events_status'").get() as {
      sql: string
    }
    expect(index.sql).toContain(`WHERE status != 'unmatched'`)
    // an unmatched event recorded now is not in the index, yet counted
    recent.record([{ seq: 31, event: event(31, 'a'), explanations: [], invocations: [], attempts: 0 }])

    const byDefault = history.page({})
    expect(byDefault).toMatchObject({ total: 10, hiddenUnmatched: 21, stored: 31 })
    expect(byDefault.events.map((row) => row.seq)).toEqual([30, 27, 24, 21, 18, 15, 12, 9, 6, 3])
    expect(history.page({ bucket: 'a' })).toMatchObject({ total: 5, hiddenUnmatched: 11 })
    expect(history.page({ statuses: ['failed'] })).toMatchObject({ total: 10, hiddenUnmatched: 21 })
    expect(history.page({ statuses: ['unmatched'] })).toMatchObject({ total: 21, hiddenUnmatched: 0 })
    expect(history.page({ includeUnmatched: true })).toMatchObject({ total: 31, hiddenUnmatched: 0 })
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM recent_events WHERE (status = ?) AND status != 'unmatched'`)
      .all('failed')
    expect(JSON.stringify(plan)).toContain('recent_events_status')
    db.close()
  })
})

describe('the history retention', () => {
  it('keeps the newest events, also across a restart, deleting only beyond the retention', () => {
    const dataDir = join(root, 'retention')
    let db = openDatabase(dataDir)
    new InvocationStore(db)
    const recorded = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => ({
        seq: from + i,
        event: event(from + i, 'a'),
        explanations: [],
        invocations: [],
        attempts: 0
      }))
    const seqs = (): number[] =>
      (db.prepare('SELECT seq FROM recent_events ORDER BY seq').all() as { seq: number }[]).map((row) => row.seq)
    let recent = new RecentEvents(db, 5)
    recent.record(recorded(1, 3))
    recent.prune()
    expect(seqs()).toEqual([1, 2, 3])
    recent.record(recorded(4, 9))
    recent.prune()
    expect(seqs()).toEqual([5, 6, 7, 8, 9])
    db.close()
    db = openDatabase(dataDir)
    recent = new RecentEvents(db, 5)
    recent.record(recorded(10, 11))
    recent.prune()
    expect(seqs()).toEqual([7, 8, 9, 10, 11])
    db.close()
  })
})
