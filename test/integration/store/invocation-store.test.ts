/** The invocation store on a real database: queries by function, request id, key and status; bounded retention. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../main/store/db.ts'
import { InvocationStore } from '../../../main/store/invocation-store.ts'

let dir: string
let db: Db
let store: InvocationStore

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cos-local-inv-'))
  db = openDatabase(dir)
  store = new InvocationStore(db)
  for (let i = 0; i < 30; i++) {
    const requestId = `req-${i}`
    const functionName = i % 2 ? 'odd' : 'even'
    store.insert({
      requestId,
      functionName,
      triggerId: 't',
      source: 'trigger',
      eventSeq: i,
      eventName: 'cos:ObjectCreated:Put',
      bucket: 'b-1',
      key: `k/${i % 3}`,
      event: { i },
      retryNum: 2,
      status: 'pending',
      now: 1000 + i
    })
    store.startAttempt(requestId, 1, 2000 + i)
    store.finishAttempt({
      requestId,
      functionName,
      attempt: 1,
      outcome: i % 5 === 0 ? 'error' : 'succeeded',
      durationMs: 3,
      memUsageBytes: 1024,
      message: 'ok',
      status: i % 5 === 0 ? 'retrying' : 'succeeded',
      nextAttemptAt: i % 5 === 0 ? 99_999 : null,
      now: 3000 + i,
      lines: [
        { time: 1, text: `START RequestId:${requestId}` },
        { time: 2, text: `END RequestId:${requestId}` }
      ]
    })
  }
})

afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('invocation store', () => {
  it('stores the run log of an attempt in order, however many lines (one row per attempt)', () => {
    const requestId = 'req-many'
    store.insert({
      requestId,
      functionName: 'many',
      triggerId: null,
      source: 'test',
      eventSeq: null,
      eventName: null,
      bucket: null,
      key: null,
      event: {},
      retryNum: 0,
      status: 'pending',
      now: 5000
    })
    store.startAttempt(requestId, 1, 5001)
    for (const count of [90, 5, 1]) {
      const lines = Array.from({ length: count }, (_, i) => ({ time: 5002 + i, text: `line ${count}-${i}` }))
      store.finishAttempt({
        requestId,
        functionName: 'many',
        attempt: 1,
        outcome: 'succeeded',
        durationMs: 1,
        memUsageBytes: 1,
        message: 'ok',
        status: 'succeeded',
        nextAttemptAt: null,
        now: 6000,
        lines
      })
    }
    const texts = store.logs({ requestId }).map((line) => line.text)
    expect(texts).toEqual([90, 5, 1].flatMap((count) => Array.from({ length: count }, (_, i) => `line ${count}-${i}`)))
  })

  it('queries by function, request id, key and status, newest first', () => {
    expect(store.list({ functionName: 'odd' })).toHaveLength(15)
    expect(store.list({ requestId: 'req-7' }).map((i) => i.requestId)).toEqual(['req-7'])
    expect(
      store
        .list({ key: 'k/1' })
        .map((i) => i.requestId)
        .slice(0, 3)
    ).toEqual(['req-28', 'req-25', 'req-22'])
    expect(store.list({ status: 'retrying' }).map((i) => i.requestId)).toEqual([
      'req-25',
      'req-20',
      'req-15',
      'req-10',
      'req-5',
      'req-0'
    ])
    expect(store.list({ limit: 2, before: 1010 }).map((i) => i.requestId)).toEqual(['req-9', 'req-8'])
    expect(store.event('req-3')).toEqual({ i: 3 })
  })

  it('reads logs per invocation and per function after a cursor', () => {
    expect(store.logs({ requestId: 'req-4' }).map((l) => l.text)).toEqual([
      'START RequestId:req-4',
      'END RequestId:req-4'
    ])
    const all = store.logs({ functionName: 'even' })
    expect(all).toHaveLength(30)
    expect(store.logs({ functionName: 'even', afterId: all[27]!.id })).toHaveLength(2)
    // ids increase line by line, inside an attempt's row and across rows
    expect(all.every((line, i) => i === 0 || line.id > all[i - 1]!.id)).toBe(true)
    // a cursor inside an attempt's row: the rest of that row, then the next rows
    expect(store.logs({ functionName: 'even', afterId: all[0]!.id }).map((l) => l.id)).toEqual(
      all.slice(1).map((l) => l.id)
    )
    expect(store.logs({ functionName: 'even', afterId: all[0]!.id, limit: 1 }).map((l) => l.id)).toEqual([all[1]!.id])
    expect(store.logs({ functionName: 'even', tail: 3 }).map((l) => l.id)).toEqual(all.slice(-3).map((l) => l.id))
  })

  it('unfinished lists what a restart must resume', () => {
    expect(store.unfinished().map((i) => i.status)).toEqual(Array(6).fill('retrying'))
  })

  it('prunes finished invocations beyond the retention, keeping unfinished ones', () => {
    store.prune('even', 4)
    const even = store.list({ functionName: 'even' })
    expect(even.filter((i) => i.status === 'succeeded')).toHaveLength(4)
    expect(even.filter((i) => i.status === 'retrying').map((i) => i.requestId)).toEqual(['req-20', 'req-10', 'req-0'])
    expect(store.logs({ requestId: 'req-2' })).toEqual([])
    expect(store.attempts('req-2')).toEqual([])
    expect(store.list({ functionName: 'odd' })).toHaveLength(15)
  })
})
