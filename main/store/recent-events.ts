/**
 * A bounded record of recent object events with the per-trigger match explanation made
 * when each was dispatched, so "why didn't my trigger fire?" can answer for any recent
 * COS request, even after a restart.
 */
import type { EventStatus } from '../core/events/event-history.ts'
import type { MatchExplanation } from '../core/events/matching.ts'
import type { ObjectEvent } from '../core/events/object-event.ts'
import { HISTORY_RETENTION } from '../core/events/event-history.ts'
import { migrate, type Db } from './db.ts'
import { multiRowInsert, type MultiRowInsert } from './multi-row-insert.ts'
import { sqlWhere } from './sql-where.ts'

export interface RecentEvent {
  seq: number
  time: number
  name: string
  bucket: string
  region: string
  key: string
  requestId: string
  explanations: MatchExplanation[]
  /** Request ids of the invocations the event started. */
  invocations: string[]
}

/** A recent event (without its match explanations) with what its deliveries came to (the event history's row). */
export interface HistoryRow extends Omit<RecentEvent, 'explanations'> {
  status: EventStatus
  functions: string[]
  attempts: number
  lastError: string | null
}

/** What the fan-out records of one event (see `RecentEvents.record`). */
export interface RecordedEvent {
  seq: number
  event: ObjectEvent
  explanations: MatchExplanation[]
  /** Request ids of the invocations the event started. */
  invocations: string[]
  /** How many of its deliveries started their first attempt in the recording transaction. */
  attempts: number
}

export class RecentEvents {
  readonly #db: Db
  readonly #keep: number
  readonly #insert: MultiRowInsert
  readonly #prune
  /**
   * The smallest seq the table may hold and the largest recorded: `prune` deletes only when
   * something is beyond the retention (a fresh or partly filled history skips the statement).
   */
  #oldest: number
  #newest: number

  constructor(db: Db, keep = HISTORY_RETENTION) {
    this.#db = db
    this.#keep = keep
    migrate(db, 'recent-events-1', [
      `CREATE TABLE recent_events (
         seq INTEGER PRIMARY KEY,
         time INTEGER NOT NULL,
         name TEXT NOT NULL,
         bucket TEXT NOT NULL,
         region TEXT NOT NULL,
         object_key TEXT NOT NULL,
         request_id TEXT NOT NULL,
         explanations TEXT NOT NULL,
         invocations TEXT NOT NULL
       )`,
      'CREATE INDEX recent_events_key ON recent_events (bucket, object_key, seq)'
    ])
    // The event history (event-history.ts): a summary of the event's deliveries on the row.
    migrate(db, 'recent-events-2-history', [
      `ALTER TABLE recent_events ADD COLUMN status TEXT NOT NULL DEFAULT 'unmatched'`,
      `ALTER TABLE recent_events ADD COLUMN functions TEXT NOT NULL DEFAULT ''`,
      'ALTER TABLE recent_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0',
      'ALTER TABLE recent_events ADD COLUMN last_error TEXT',
      `UPDATE recent_events SET status = 'succeeded' WHERE invocations != '[]'`,
      'CREATE INDEX recent_events_status ON recent_events (status, seq)',
      'CREATE INDEX recent_events_request ON recent_events (request_id)'
    ])
    // Events that match no trigger (most of them, in a bucket without functions) stay out of the
    // status index: the history's views and counts ask for matched statuses through it
    // (event-history.ts adds the implied `status != 'unmatched'` to their filters), and an
    // unmatched row costs one B-tree less to write. The unmatched count is the rest of the total.
    migrate(db, 'recent-events-3-matched-status-index', [
      'DROP INDEX recent_events_status',
      `CREATE INDEX recent_events_status ON recent_events (status, seq) WHERE status != 'unmatched'`
    ])
    // Prepared once (per row count): they run for every dispatched batch.
    this.#insert = multiRowInsert(
      db,
      `INSERT OR REPLACE INTO recent_events (seq, time, name, bucket, region, object_key, request_id, explanations,
         invocations, status, functions, attempts)`,
      12
    )
    this.#prune = db.prepare('DELETE FROM recent_events WHERE seq <= (SELECT MAX(seq) FROM recent_events) - ?')
    const bounds = db.prepare('SELECT MIN(seq) AS oldest, MAX(seq) AS newest FROM recent_events').get() as {
      oldest: number | null
      newest: number | null
    }
    this.#oldest = bounds.oldest ?? Number.POSITIVE_INFINITY
    this.#newest = bounds.newest ?? 0
  }

  /**
   * Call inside the transaction that consumes the events: one statement for all of them.
   * Returns their history rows as stored (what the event history reads back).
   */
  record(entries: readonly RecordedEvent[]): HistoryRow[] {
    const rows = entries.map(historyRow)
    this.#insert.run(rows.map((row, index) => columns(row, entries[index]!.explanations)))
    for (const { seq } of entries) {
      if (seq < this.#oldest) this.#oldest = seq
      if (seq > this.#newest) this.#newest = seq
    }
    return rows
  }

  /** Keep the newest `keep` events (by seq). */
  prune(): void {
    if (this.#newest - this.#keep < this.#oldest) return
    this.#prune.run(this.#keep)
    this.#oldest = this.#newest - this.#keep + 1
  }

  list(query: { bucket?: string; key?: string; limit?: number } = {}): RecentEvent[] {
    const where = sqlWhere({ 'bucket = ?': query.bucket || undefined, 'object_key = ?': query.key })
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 1000)
    const rows = this.#db
      .prepare(
        `SELECT seq, time, name, bucket, region, object_key, request_id, explanations, invocations FROM recent_events
         ${where.sql} ORDER BY seq DESC LIMIT ${limit}`
      )
      .all(...where.args) as {
      seq: number
      time: number
      name: string
      bucket: string
      region: string
      object_key: string
      request_id: string
      explanations: string
      invocations: string
    }[]
    return rows.map((row) => ({
      seq: row.seq,
      time: row.time,
      name: row.name,
      bucket: row.bucket,
      region: row.region,
      key: row.object_key,
      requestId: row.request_id,
      explanations: JSON.parse(row.explanations) as MatchExplanation[],
      invocations: JSON.parse(row.invocations) as string[]
    }))
  }
}

/** The functions of an event's matched triggers, each once (the row's `functions`). */
function matchedFunctions(explanations: readonly MatchExplanation[]): string[] {
  // one loop, no intermediate arrays or set: it runs for every event the bus records
  const names: string[] = []
  for (const item of explanations) if (item.matched && !names.includes(item.functionName)) names.push(item.functionName)
  return names
}

/** The event's history row as `record` stores it, without its explanations. */
function historyRow(entry: RecordedEvent): HistoryRow {
  const { seq, event, invocations, attempts } = entry
  return {
    seq,
    time: event.time,
    name: event.name,
    bucket: event.bucket,
    region: event.region,
    key: event.key,
    requestId: event.requestId,
    status: invocations.length > 0 ? 'in-flight' : 'unmatched',
    functions: matchedFunctions(entry.explanations),
    invocations,
    attempts,
    lastError: null
  }
}

/** A history row's values in the INSERT's column order. */
function columns(row: HistoryRow, explanations: readonly MatchExplanation[]): unknown[] {
  return [
    row.seq,
    row.time,
    row.name,
    row.bucket,
    row.region,
    row.key,
    row.requestId,
    // no triggers at all (the usual case of a bucket without functions): nothing to serialise
    explanations.length === 0 ? '[]' : JSON.stringify(explanations),
    row.invocations.length === 0 ? '[]' : JSON.stringify(row.invocations),
    row.status,
    row.functions.join(','),
    row.attempts
  ]
}
