/**
 * Attempts kept on the invocation row (migration 'invocations-3-attempt-on-row'): a delivery's
 * current or last attempt is read from its invocation row, earlier ones from
 * `invocation_attempts`; data folders written before, with a row for every attempt, read the
 * same as they did, and a delivery interrupted under the old format recovers as before. An
 * attempt's run log in one row ('invocations-4-log-rows'), read together with the one-line rows
 * of earlier versions; the replay index only for replays ('invocations-5-replay-partial').
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate, openDatabase } from '../../../main/store/db.ts'
import { INVOCATION_SCHEMA, INVOCATION_SCHEMA_2 } from '../../../main/store/invocation-records.ts'
import { InvocationStore } from '../../../main/store/invocation-store.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-attempts-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const delivery = (requestId: string, now: number) => ({
  requestId,
  functionName: 'fn',
  triggerId: 't',
  source: 'trigger' as const,
  eventSeq: 1,
  eventName: 'cos:ObjectCreated:Put',
  bucket: 'b-1',
  key: 'k',
  event: { requestId },
  retryNum: 2,
  status: 'pending' as const,
  now
})

const end = (requestId: string, attempt: number, now: number, ok: boolean) => ({
  requestId,
  functionName: 'fn',
  attempt,
  outcome: ok ? ('succeeded' as const) : ('error' as const),
  durationMs: 4.4,
  memUsageBytes: 2048,
  message: ok ? '"ok"' : 'boom',
  status: ok ? ('succeeded' as const) : ('retrying' as const),
  nextAttemptAt: ok ? null : now + 60_000,
  now,
  lines: [{ time: now, text: `END RequestId:${requestId}` }],
  injected: ok ? null : 'fail'
})

describe('attempts on the invocation row', () => {
  it('reads a running, a retried and an interrupted attempt as separate attempts', () => {
    const db = openDatabase(join(root, 'new'))
    const store = new InvocationStore(db)
    const record = store.insert({ ...delivery('r1', 1000), startedAt: 1000 })
    expect(record).toMatchObject({ status: 'running', attempts: 1, updatedAt: 1000 })
    expect(store.get('r1')).toEqual(record)
    expect(store.attempts('r1')).toEqual([
      {
        requestId: 'r1',
        attempt: 1,
        startedAt: 1000,
        finishedAt: null,
        outcome: null,
        durationMs: null,
        memUsageBytes: null,
        message: null,
        injected: null
      }
    ])
    store.finishAttempt(end('r1', 1, 1100, false))
    store.startAttempt('r1', 2, 2000)
    store.markInterrupted('r1', 2050)
    expect(store.get('r1')?.status).toBe('pending')
    store.startAttempt('r1', 3, 3000)
    expect(store.attempts('r1').map((a) => [a.attempt, a.finishedAt, a.outcome])).toEqual([
      [1, 1100, 'error'],
      [2, 2050, 'interrupted'],
      [3, null, null]
    ])
    store.finishAttempt(end('r1', 3, 3100, true))
    expect(store.attempts('r1')).toEqual([
      {
        requestId: 'r1',
        attempt: 1,
        startedAt: 1000,
        finishedAt: 1100,
        outcome: 'error',
        durationMs: 4,
        memUsageBytes: 2048,
        message: 'boom',
        injected: 'fail'
      },
      {
        requestId: 'r1',
        attempt: 2,
        startedAt: 2000,
        finishedAt: 2050,
        outcome: 'interrupted',
        durationMs: null,
        memUsageBytes: null,
        message: 'COS Local stopped during the attempt',
        injected: null
      },
      {
        requestId: 'r1',
        attempt: 3,
        startedAt: 3000,
        finishedAt: 3100,
        outcome: 'succeeded',
        durationMs: 4,
        memUsageBytes: 2048,
        message: '"ok"',
        injected: null
      }
    ])
    // a delivery that succeeds at once writes no attempt row
    store.insert({ ...delivery('r2', 4000), startedAt: 4000 })
    store.finishAttempt(end('r2', 1, 4010, true))
    expect(db.prepare(`SELECT COUNT(*) AS n FROM invocation_attempts WHERE request_id = 'r2'`).get()).toMatchObject({
      n: 0
    })
    expect(store.attempts('r2').map((a) => [a.attempt, a.startedAt, a.finishedAt, a.outcome])).toEqual([
      [1, 4000, 4010, 'succeeded']
    ])
    db.close()
  })

  it('reads and recovers a data folder written with a row for every attempt', () => {
    const dir = join(root, 'old')
    const old = openDatabase(dir)
    migrate(old, 'invocations-1', INVOCATION_SCHEMA)
    migrate(old, 'invocations-2-replay', INVOCATION_SCHEMA_2)
    const invocation = old.prepare(
      `INSERT INTO invocations (request_id, function_name, trigger_id, source, event_seq, event_name, bucket, object_key,
         event_json, status, attempts, retry_num, created_at, updated_at, finished_at, duration_ms, mem_usage, message)
       VALUES (?, 'fn', 't', 'trigger', 1, 'cos:ObjectCreated:Put', 'b-1', 'k', '{"old":true}', ?, ?, 2, 1000, ?, ?, 3, 100, ?)`
    )
    const attempt = old.prepare(
      `INSERT INTO invocation_attempts (request_id, attempt, started_at, finished_at, outcome, duration_ms, mem_usage, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    )
    // retried once, then succeeded
    invocation.run('done', 'succeeded', 2, 2100, 2100, '"ok"')
    attempt.run('done', 1, 1000, 1100, 'error', 3, 100, 'boom')
    attempt.run('done', 2, 2000, 2100, 'succeeded', 3, 100, '"ok"')
    const line = old.prepare(
      `INSERT INTO invocation_logs (request_id, function_name, attempt, time, text) VALUES (?, 'fn', ?, ?, ?)`
    )
    line.run('done', 1, 1000, 'START RequestId:done')
    line.run('done', 1, 1100, 'END RequestId:done')
    // running when COS Local stopped
    invocation.run('cut', 'running', 1, 1500, null, null)
    attempt.run('cut', 1, 1500, null, null, null, null, null)
    old.close()

    const db = openDatabase(dir)
    const store = new InvocationStore(db)
    expect(store.event('done')).toEqual({ old: true })
    expect(store.attempts('done').map((a) => [a.attempt, a.startedAt, a.finishedAt, a.outcome, a.message])).toEqual([
      [1, 1000, 1100, 'error', 'boom'],
      [2, 2000, 2100, 'succeeded', '"ok"']
    ])
    expect(store.attempts('cut').map((a) => [a.attempt, a.finishedAt, a.outcome])).toEqual([[1, null, null]])
    expect(store.unfinished().map((i) => i.requestId)).toEqual(['cut'])
    store.markInterrupted('cut', 1600)
    store.startAttempt('cut', 2, 1700)
    store.finishAttempt({ ...end('cut', 2, 1800, true) })
    expect(store.attempts('cut').map((a) => [a.attempt, a.startedAt, a.finishedAt, a.outcome])).toEqual([
      [1, 1500, 1600, 'interrupted'],
      [2, 1700, 1800, 'succeeded']
    ])
    expect(store.get('cut')).toMatchObject({ status: 'succeeded', attempts: 2, finishedAt: 1800 })
    // log rows of one line each (before), then an attempt's lines in one row (now)
    store.finishAttempt({
      ...end('done', 3, 2200, true),
      lines: [
        { time: 2150, text: 'START RequestId:done' },
        { time: 2160, text: 'a\nmulti-line entry' },
        { time: 2200, text: 'END RequestId:done' }
      ]
    })
    const logs = store.logs({ requestId: 'done' })
    expect(logs.map((l) => [l.attempt, l.time, l.text])).toEqual([
      [1, 1000, 'START RequestId:done'],
      [1, 1100, 'END RequestId:done'],
      [3, 2150, 'START RequestId:done'],
      [3, 2160, 'a\nmulti-line entry'],
      [3, 2200, 'END RequestId:done']
    ])
    expect(logs.every((l, i) => i === 0 || l.id > logs[i - 1]!.id)).toBe(true)
    expect(store.logs({ requestId: 'done', afterId: logs[1]!.id, limit: 2 }).map((l) => l.text)).toEqual([
      'START RequestId:done',
      'a\nmulti-line entry'
    ])
    expect(store.logs({ requestId: 'done', tail: 4 }).map((l) => l.text)).toEqual(logs.slice(1).map((l) => l.text))
    // the replay index keeps only replays, and a query by replay_of still uses it
    store.insert({ ...delivery('again', 3000), replayOf: 'done' })
    expect(store.list({ replayOf: 'done' }).map((i) => i.requestId)).toEqual(['again'])
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT request_id FROM invocations WHERE replay_of = ?`)
      .all('done') as { detail: string }[]
    expect(plan.map((row) => row.detail).join(' ')).toContain('invocations_replay')
    expect(
      db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'invocations_replay'`).get() as { sql: string }
    ).toMatchObject({ sql: expect.stringContaining('WHERE replay_of IS NOT NULL') })
    db.close()
  })
})
