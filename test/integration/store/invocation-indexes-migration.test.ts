/**
 * Two indexes fewer on invocations (migration 'invocations-6-fewer-indexes'): a data folder
 * with the key index and the full status index opens without the one and with the status
 * index of unsucceeded deliveries only; every query answers what it did (a restart's
 * unfinished deliveries, dead letters, a status, a key, a function and key), those by a status
 * other than succeeded through the new index; pruning keeps the newest finished invocations
 * with their logs and attempts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate, openDatabase, type Db } from '../../../main/store/db.ts'
import {
  INVOCATION_SCHEMA,
  INVOCATION_SCHEMA_2,
  INVOCATION_SCHEMA_3,
  INVOCATION_SCHEMA_4,
  INVOCATION_SCHEMA_5
} from '../../../main/store/invocation-records.ts'
import { InvocationStore } from '../../../main/store/invocation-store.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-invocation-indexes-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const STATUSES = ['succeeded', 'failed', 'dead-lettered', 'running', 'pending', 'retrying'] as const

const indexes = (db: Db): Record<string, string> =>
  Object.fromEntries(
    (
      db
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invocations' AND sql IS NOT NULL`
        )
        .all() as { name: string; sql: string }[]
    ).map((row) => [row.name, row.sql])
  )

const plan = (db: Db, sql: string, ...args: unknown[]): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((row) => row.detail).join(' ')

describe('the invocations indexes', () => {
  it('an old data folder opens with two indexes fewer and answers the same', () => {
    const dir = join(root, 'old')
    const old = openDatabase(dir)
    migrate(old, 'invocations-1', INVOCATION_SCHEMA)
    migrate(old, 'invocations-2-replay', INVOCATION_SCHEMA_2)
    migrate(old, 'invocations-3-attempt-on-row', INVOCATION_SCHEMA_3)
    migrate(old, 'invocations-4-log-rows', INVOCATION_SCHEMA_4)
    migrate(old, 'invocations-5-replay-partial', INVOCATION_SCHEMA_5)
    expect(Object.keys(indexes(old))).toEqual(
      expect.arrayContaining(['invocations_key', 'invocations_status', 'invocations_function'])
    )
    const insert = old.prepare(
      `INSERT INTO invocations (request_id, function_name, trigger_id, source, event_seq, event_name, bucket, object_key,
         event_json, status, attempts, retry_num, created_at, updated_at)
       VALUES (?, ?, 't', 'trigger', ?, 'cos:ObjectCreated:Put', 'b-1', ?, '{}', ?, 1, 2, ?, ?)`
    )
    const log = old.prepare(
      `INSERT INTO invocation_logs (request_id, function_name, attempt, time, text) VALUES (?, ?, 1, ?, 'END')`
    )
    // 60 deliveries of two functions, every status, keys k0..k4
    for (let i = 0; i < 60; i++) {
      const fn = i % 2 ? 'odd' : 'even'
      insert.run(`r${i}`, fn, i, `k${i % 5}`, STATUSES[i % 6], 1000 + i, 1000 + i)
      log.run(`r${i}`, fn, 1000 + i)
    }
    old.close()

    const db = openDatabase(dir)
    const store = new InvocationStore(db)
    const now = indexes(db)
    expect(now.invocations_key).toBeUndefined()
    expect(now.invocations_status).toContain(`WHERE status != 'succeeded'`)
    expect(now.invocations_function).toBeDefined()

    const ids = (records: { requestId: string }[]): string[] => records.map((record) => record.requestId)
    const expected = (keep: (i: number) => boolean, newestFirst = true): string[] => {
      const all = Array.from({ length: 60 }, (_, i) => i).filter(keep)
      return (newestFirst ? all.reverse() : all).map((i) => `r${i}`)
    }
    expect(ids(store.unfinished())).toEqual(expected((i) => i % 6 >= 3, false))
    expect(ids(store.list({ status: 'dead-lettered' }))).toEqual(expected((i) => i % 6 === 2))
    expect(ids(store.list({ status: 'succeeded' }))).toEqual(expected((i) => i % 6 === 0))
    expect(ids(store.list({ functionName: 'odd', status: 'failed' }))).toEqual(expected((i) => i % 6 === 1))
    expect(ids(store.list({ key: 'k3' }))).toEqual(expected((i) => i % 5 === 3))
    expect(ids(store.list({ functionName: 'even', key: 'k4' }))).toEqual(expected((i) => i % 5 === 4 && i % 2 === 0))
    // statuses other than succeeded are found through the index that holds only them
    expect(
      plan(db, `SELECT request_id FROM invocations WHERE status = ? AND status != 'succeeded'`, 'failed')
    ).toContain('invocations_status')

    // a delivery that succeeds leaves the index; one that fails stays in it
    store.insert({
      requestId: 'new',
      functionName: 'odd',
      triggerId: 't',
      source: 'trigger',
      eventSeq: 99,
      eventName: 'cos:ObjectCreated:Put',
      bucket: 'b-1',
      key: 'k9',
      event: {},
      retryNum: 2,
      status: 'pending',
      now: 5000,
      startedAt: 5000
    })
    expect(ids(store.list({ status: 'running' }))[0]).toBe('new')
    store.finishAttempt({
      requestId: 'new',
      functionName: 'odd',
      attempt: 1,
      outcome: 'succeeded',
      durationMs: 1,
      memUsageBytes: 1,
      message: 'null',
      status: 'succeeded',
      nextAttemptAt: null,
      now: 5001,
      lines: [{ time: 5001, text: 'END RequestId:new' }]
    })
    expect(ids(store.list({ status: 'running' }))).not.toContain('new')
    expect(ids(store.list({ status: 'succeeded' }))[0]).toBe('new')

    // pruning: the newest 5 finished of a function stay, with their logs; unfinished ones are untouched
    store.prune('odd', 5)
    const odd = store.list({ functionName: 'odd', limit: 1000 })
    const finished = odd.filter((record) => ['succeeded', 'failed', 'dead-lettered'].includes(record.status))
    expect(ids(finished)).toEqual(['new', 'r55', 'r49', 'r43', 'r37'])
    expect(odd.filter((record) => record.status === 'running' || record.status === 'retrying').length).toBe(20)
    expect(store.logs({ functionName: 'odd', limit: 1000 }).map((line) => line.requestId)).toEqual(
      [...ids(odd)]
        .reverse()
        .filter((id) => id !== 'new')
        .concat('new')
    )
    expect(ids(store.list({ functionName: 'even', limit: 1000 })).length).toBe(30)
    db.close()
  })
})
