/**
 * A bounded record of recent object events with the per-trigger match explanation made
 * when each was dispatched, so "why didn't my trigger fire?" can answer for any recent
 * COS request, even after a restart.
 *
 * The rows of events that started no delivery (most of them, in a bucket without functions)
 * are written a moment later in a transaction of their own (`defer`), many at a time, instead
 * of inside the commit of the writes that made them: eight of them in every 4 KiB PUTs' group
 * commit cost that commit about a tenth of its time (their statement and ~5 WAL pages), while
 * a few hundred together share their pages. Every read of the history writes them first, so
 * nothing reads a history without them. The event itself is durable in the queue in the write's
 * own commit; a row lost with a killed process is rebuilt from there at the next start
 * (`restoreLater`), without its trigger explanations (made at dispatch, not kept elsewhere).
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

/** Deferred rows wait at most this long for their transaction... */
const DEFER_MS = 25
/** ... or until this many wait (then they are written on the next turn). */
const MAX_DEFERRED = 512
/** After a start, the rows a killed process left unwritten are rebuilt by then (or at the first read). */
const RESTORE_DELAY_MS = 1000

export class RecentEvents {
  readonly #db: Db
  readonly #keep: number
  readonly #insert: MultiRowInsert
  readonly #prune
  /** Rows recorded by `defer` and not written yet: their INSERT's columns. */
  #deferred: unknown[][] = []
  #deferredTimer: ReturnType<typeof setTimeout> | undefined
  /** A write of the backlog is due on the next turn. */
  #soon = false
  /** The rebuild `restoreLater` planned, until it has run. */
  #restorePending: (() => void) | undefined
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
    this.#bound(entries)
    return rows
  }

  /**
   * Like `record`, for events that started no delivery: their rows are written shortly, in a
   * transaction of their own with the others deferred meanwhile (see the file's comment).
   */
  defer(entries: readonly RecordedEvent[]): HistoryRow[] {
    const rows = entries.map(historyRow)
    for (const [index, row] of rows.entries()) this.#deferred.push(columns(row, entries[index]!.explanations))
    this.#bound(entries)
    if (this.#deferred.length >= MAX_DEFERRED && !this.#soon) {
      this.#soon = true
      setImmediate(() => {
        this.#soon = false
        this.#flushLater()
      })
    }
    this.#deferredTimer ??= setTimeout(() => {
      this.#deferredTimer = undefined
      this.#flushLater()
    }, DEFER_MS)
    return rows
  }

  /** Write the deferred rows now (every read of the history does this first). */
  flushDeferred(): void {
    if (this.#deferred.length > 0) {
      if (this.#db.inTransaction) this.#writeDeferred()
      else this.#db.transaction(() => this.#writeDeferred())()
    }
    // after the rows deferred since the start are written: they are not missing
    if (this.#restorePending && !this.#db.inTransaction) this.#restoreNow()
  }

  #flushLater(): void {
    try {
      this.flushDeferred()
    } catch (error) {
      // kept: the next read or deferral tries again (and a restart rebuilds them)
      console.error('[cos-local] writing the event history failed:', error)
    }
  }

  #writeDeferred(): void {
    clearTimeout(this.#deferredTimer)
    this.#deferredTimer = undefined
    // (nothing is deferred while the INSERT runs: it is all synchronous)
    this.#insert.run(this.#deferred)
    this.#deferred = []
    this.prune()
  }

  /**
   * Rebuild the rows a killed process had deferred and not written: the queue's handled events
   * (`handledSince`, their seqs) from a little before the newest row on that have no row get one
   * (read with `read`) as an event that started no delivery, with no trigger explanations. Run at
   * the first read of the history or after RESTORE_DELAY_MS, whichever comes first: a restart
   * answers its first requests without waiting for it (it reads ~1,000 queue rows, ≈ 4 ms).
   */
  restoreLater(handledSince: (afterSeq: number) => number[], read: (seq: number) => ObjectEvent | undefined): void {
    const after = Math.max(0, this.#newest - 2 * MAX_DEFERRED)
    this.#restorePending = () => {
      const handled = handledSince(after)
      if (handled.length === 0) return
      const rows = new Set(
        this.#db.prepare('SELECT seq FROM recent_events WHERE seq >= ?').pluck().all(handled[0]) as number[]
      )
      const missing: RecordedEvent[] = []
      for (const seq of handled) {
        if (rows.has(seq)) continue
        const event = read(seq)
        if (event) missing.push({ seq, event, explanations: [], invocations: [], attempts: 0 })
      }
      if (missing.length > 0) this.#db.transaction(() => this.record(missing))()
    }
    setTimeout(() => this.#flushLater(), RESTORE_DELAY_MS).unref()
  }

  #restoreNow(): void {
    const restore = this.#restorePending
    this.#restorePending = undefined
    try {
      restore?.()
    } catch (error) {
      console.error('[cos-local] rebuilding the event history after a restart failed:', error)
    }
  }

  #bound(entries: readonly RecordedEvent[]): void {
    for (const { seq } of entries) {
      if (seq < this.#oldest) this.#oldest = seq
      if (seq > this.#newest) this.#newest = seq
    }
  }

  /** Keep the newest `keep` events (by seq). */
  prune(): void {
    if (this.#newest - this.#keep < this.#oldest) return
    this.#prune.run(this.#keep)
    this.#oldest = this.#newest - this.#keep + 1
  }

  list(query: { bucket?: string; key?: string; limit?: number } = {}): RecentEvent[] {
    this.flushDeferred()
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
