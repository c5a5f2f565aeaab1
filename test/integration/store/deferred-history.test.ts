/**
 * History rows of events that started no delivery are written shortly after the commit that
 * handled them, many in one transaction (recent-events.ts `defer`): every read sees them at
 * once, a timer writes them without a read, and a backlog is written on the next turn.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../main/store/db.ts'
import { EventHistory } from '../../../main/store/event-history.ts'
import { InvocationStore } from '../../../main/store/invocation-store.ts'
import { RecentEvents, type RecordedEvent } from '../../../main/store/recent-events.ts'
import { objectEvent } from '../../helpers/object-events.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-deferred-history-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const unmatched = (from: number, count: number): RecordedEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    event: objectEvent('cos:ObjectCreated:Put', `k${from + i}`),
    explanations: [],
    invocations: [],
    attempts: 0
  }))

describe('deferred history rows', () => {
  it('are read at once, written by a timer without a read, and a backlog on the next turn', async () => {
    const db = openDatabase(join(root, 'data'))
    new InvocationStore(db)
    const recent = new RecentEvents(db)
    const history = new EventHistory(db, () => recent.flushDeferred())
    const stored = (): number => (db.prepare('SELECT COUNT(*) AS n FROM recent_events').get() as { n: number }).n

    const rows = db.transaction(() => recent.defer(unmatched(1, 3)))()
    expect(rows.map((row) => [row.seq, row.status])).toEqual([
      [1, 'unmatched'],
      [2, 'unmatched'],
      [3, 'unmatched']
    ])
    expect(stored()).toBe(0)
    // a read writes them first
    expect(history.page({ includeUnmatched: true }).events.map((row) => row.key)).toEqual(['k3', 'k2', 'k1'])
    expect(stored()).toBe(3)

    db.transaction(() => recent.defer(unmatched(4, 2)))()
    expect(stored()).toBe(3)
    for (let i = 0; i < 100 && stored() < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(stored()).toBe(5)

    // 600 at once: past the backlog's bound they are written on the next turn, not 25 ms later
    db.transaction(() => recent.defer(unmatched(6, 600)))()
    expect(stored()).toBe(5)
    await new Promise((resolve) => setImmediate(resolve))
    expect(stored()).toBe(605)
    db.close()
  })
})
