/**
 * The durable queue of ObjectEvents. The storage service appends inside the same
 * transaction as the metadata change (so an acknowledged write never loses its event);
 * the event bus reads pending events, fans them out to deliveries and marks them done.
 *
 * Inside a group commit (group-commit.ts: `beginGroup` … `endGroup`) appended events are staged
 * in memory instead: the in-commit consumer (the bus's fan-out) takes them, and `endGroup`
 * inserts them all in one statement before the COMMIT, already done when the fan-out handled
 * them, pending otherwise (no consumer attached, or its savepoint rolled back). Either way an
 * event is in the table in the commit of its change.
 *
 * Seqs come from a counter seeded at start from the largest seq the database holds (the queue's
 * and the event history's; pruning always keeps the newest row of each), so they never go back,
 * also across restarts; one process writes a data folder.
 */
import type { ObjectEvent } from '../core/events/object-event.ts'
import { migrate, type Db } from './db.ts'
import { multiRowInsert, type MultiRowInsert } from './multi-row-insert.ts'

/** Handled events kept for inspection, and how often pruning runs (in handled events). */
const RETAIN_DONE = 10_000
const PRUNE_EVERY = 1_000
/** At most this many appended events are kept in memory for `pending` (see #fresh). */
const FRESH_LIMIT = 10_000

export interface QueuedEvent {
  seq: number
  event: ObjectEvent
}

export class EventQueue {
  readonly #db: Db
  readonly #listeners = new Set<() => void>()
  readonly #insert: MultiRowInsert
  readonly #pendingSeqs
  readonly #pending
  /**
   * Events appended by this process and not yet marked done, by seq: `pending` hands these
   * back without reading and parsing their JSON again.
   */
  readonly #fresh = new Map<number, ObjectEvent>()
  readonly #done
  readonly #doneThrough
  readonly #since
  readonly #prune
  readonly #readers = new Set<() => number>()
  #doneSincePrune = 0
  #inCommit: (() => (() => void) | undefined) | undefined
  /** The last seq given out. */
  #seq: number
  /** Staging: inside a group commit, its appended events (see the file's comment). */
  #staged: QueuedEvent[] | undefined
  /** How many of the staged events the in-commit consumer took (they are inserted done). */
  #taken = 0
  /** False only when no pending row can be in the table (every one this process saw was handled). */
  #tableMayHavePending = true

  constructor(db: Db) {
    this.#db = db
    migrate(db, 'event-queue-1', [
      `CREATE TABLE object_events (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         event TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         done INTEGER NOT NULL DEFAULT 0
       )`,
      'CREATE INDEX object_events_pending ON object_events (done, seq)'
    ])
    // Only pending events in the index: an event handled in the commit that appended it (the
    // usual case) never enters it, and marking one done removes an entry instead of moving it.
    migrate(db, 'event-queue-2-partial-pending', [
      'DROP INDEX object_events_pending',
      'CREATE INDEX object_events_pending ON object_events (seq) WHERE done = 0'
    ])
    // Seqs are given by the queue (see #seq): AUTOINCREMENT wrote its counter's page
    // (sqlite_sequence) in every commit that appended an event.
    migrate(db, 'event-queue-3-own-seqs', [
      `CREATE TABLE object_events_next (
         seq INTEGER PRIMARY KEY,
         event TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         done INTEGER NOT NULL DEFAULT 0
       )`,
      'INSERT INTO object_events_next (seq, event, created_at, done) SELECT seq, event, created_at, done FROM object_events',
      'DROP TABLE object_events',
      'ALTER TABLE object_events_next RENAME TO object_events',
      'CREATE INDEX object_events_pending ON object_events (seq) WHERE done = 0'
    ])
    this.#seq = largestSeq(db)
    this.#insert = multiRowInsert(db, 'INSERT INTO object_events (seq, event, created_at, done)', 4)
    this.#pendingSeqs = db
      .prepare('SELECT seq FROM object_events WHERE done = 0 AND seq > ? ORDER BY seq LIMIT ?')
      .pluck()
    this.#pending = db.prepare('SELECT seq, event FROM object_events WHERE done = 0 AND seq > ? ORDER BY seq LIMIT ?')
    this.#done = db.prepare('UPDATE object_events SET done = 1 WHERE seq = ?')
    this.#doneThrough = db.prepare('UPDATE object_events SET done = 1 WHERE done = 0 AND seq <= ?')
    this.#since = db.prepare('SELECT seq, event FROM object_events WHERE seq > ? ORDER BY seq LIMIT ?')
    this.#prune = db.prepare(
      'DELETE FROM object_events WHERE done = 1 AND seq <= ? AND seq <= (SELECT MAX(seq) FROM object_events) - ?'
    )
  }

  /**
   * Append events. Call inside the caller's db.transaction() so they commit with the
   * metadata; then call `notify()` after the commit to wake the bus. Inside a group commit
   * they are staged and inserted by `endGroup`.
   */
  append(events: ObjectEvent[]): void {
    const queued = events.map((event) => ({ seq: ++this.#seq, event }))
    if (this.#staged) {
      this.#staged.push(...queued)
      return
    }
    this.#insertPending(queued)
  }

  #insertPending(queued: QueuedEvent[]): void {
    this.#insert.run(queued.map(({ seq, event }) => [seq, JSON.stringify(event), event.time, 0]))
    this.#tableMayHavePending = true
    for (const { seq, event } of queued) {
      // bounded: with no consumer (a stopped bus) the events are read from the table instead
      if (this.#fresh.size >= FRESH_LIMIT) this.#fresh.clear()
      this.#fresh.set(seq, event)
    }
  }

  /** A group commit's transaction began: stage what is appended until `endGroup`. */
  beginGroup(): void {
    this.#staged = []
    this.#taken = 0
  }

  /**
   * Before the group's COMMIT: insert its staged events, those the in-commit consumer took as
   * done, the rest pending.
   */
  endGroup(): void {
    const staged = this.#staged
    this.#staged = undefined
    if (!staged || staged.length === 0) return
    const taken = this.#taken
    this.#taken = 0
    if (taken > 0) {
      const rows = staged.slice(0, taken).map(({ seq, event }) => [seq, JSON.stringify(event), event.time, 1])
      this.#insert.run(rows)
      this.#doneSincePrune += taken
    }
    if (taken < staged.length) this.#insertPending(staged.slice(taken))
    if (this.#doneSincePrune >= PRUNE_EVERY) this.prune()
  }

  /** The group's transaction rolled back: its staged events are gone with it. */
  abortGroup(): void {
    this.#staged = undefined
    this.#taken = 0
    this.#tableMayHavePending = true
  }

  /**
   * For the in-commit consumer: the events staged so far in this group commit, oldest first,
   * which `endGroup` then inserts as done. Only after every pending event of the table (older)
   * has been handled, so events are handled in seq order.
   */
  takeStaged(): QueuedEvent[] {
    const staged = this.#staged
    if (!staged || this.#taken === staged.length) return []
    const taken = staged.slice(this.#taken)
    this.#taken = staged.length
    return taken
  }

  /** Wake subscribers (the bus) after a commit that appended events. */
  notify(): void {
    for (const listener of this.#listeners) listener()
  }

  /**
   * The consumer that takes events inside the transaction that appended them (the event bus's
   * fan-out, run by the storage's group commit before its COMMIT; see group-commit.ts): it
   * returns what to run after that commit. Undefined detaches it.
   */
  consumeInCommit(consumer: (() => (() => void) | undefined) | undefined): void {
    this.#inCommit = consumer
  }

  /** Run the in-commit consumer, if one is attached (inside the appending transaction). */
  runInCommit(): (() => void) | undefined {
    try {
      return this.#inCommit?.()
    } catch (error) {
      // its savepoint is rolled back: what it took, and what it marked done, stays pending
      this.#taken = 0
      this.#tableMayHavePending = true
      throw error
    }
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Pending events after `afterSeq`, oldest first. */
  pending(afterSeq = 0, limit = 100): QueuedEvent[] {
    if (!this.#tableMayHavePending) return []
    const seqs = this.#pendingSeqs.all(afterSeq, limit) as number[]
    // Authoritative outside a transaction, and inside a group commit's (a rollback of it says so)
    if (seqs.length === 0 && afterSeq === 0 && (this.#staged !== undefined || !this.#db.inTransaction))
      this.#tableMayHavePending = false
    const handed: QueuedEvent[] = []
    for (const seq of seqs) {
      const event = this.#fresh.get(seq)
      if (!event) break
      handed.push({ seq, event })
    }
    if (handed.length === seqs.length) return handed
    const rows = this.#pending.all(afterSeq, limit) as { seq: number; event: string }[]
    return rows.map((row) => ({ seq: row.seq, event: JSON.parse(row.event) as ObjectEvent }))
  }

  /**
   * Every event after `afterSeq`, handled or not, oldest first: for a second reader with its
   * own cursor (replication follows the log this way without touching `done`).
   */
  since(afterSeq: number, limit = 100): QueuedEvent[] {
    const rows = this.#since.all(afterSeq, limit) as { seq: number; event: string }[]
    return rows.map((row) => ({ seq: row.seq, event: JSON.parse(row.event) as ObjectEvent }))
  }

  /** The event `seq` while the queue still holds it (pending, or among the newest handled). */
  event(seq: number): ObjectEvent | undefined {
    const found = this.since(seq - 1, 1)[0]
    return found?.seq === seq ? found.event : undefined
  }

  /** The seqs of the handled events after `afterSeq`, oldest first. */
  handledSince(afterSeq: number): number[] {
    return this.#db
      .prepare('SELECT seq FROM object_events WHERE seq > ? AND done = 1 ORDER BY seq')
      .pluck()
      .all(afterSeq) as number[]
  }

  /** Mark an event handled. Call in the same transaction that records its deliveries. */
  markDone(seq: number): void {
    this.#done.run(seq)
    this.#fresh.delete(seq)
    if (++this.#doneSincePrune >= PRUNE_EVERY) this.prune()
  }

  /**
   * Mark every pending event up to `seq` handled: one statement for a batch read with
   * `pending(0, n)` (which returns the oldest pending events, so exactly those). Call in the
   * same transaction that records their deliveries.
   */
  markDoneThrough(seq: number): void {
    const changes = Number(this.#doneThrough.run(seq).changes)
    for (const fresh of this.#fresh.keys()) if (fresh <= seq) this.#fresh.delete(fresh)
    this.#doneSincePrune += changes
    if (this.#doneSincePrune >= PRUNE_EVERY) this.prune()
  }

  /**
   * A second reader (see `since`) tells the queue how far it has read, so handled events it
   * still needs are kept.
   */
  addReader(position: () => number): void {
    this.#readers.add(position)
  }

  /**
   * Delete handled events that every reader has passed, keeping the newest RETAIN_DONE. (It
   * does not read how many went: in a group commit run by the writer thread nobody knows yet.)
   */
  prune(): void {
    this.#doneSincePrune = 0
    let upTo = Number.MAX_SAFE_INTEGER
    for (const position of this.#readers) upTo = Math.min(upTo, position())
    this.#prune.run(upTo, RETAIN_DONE)
  }

  get db(): Db {
    return this.#db
  }
}

/** The largest seq an event was given: the queue's rows and the event history's (if it exists yet). */
function largestSeq(db: Db): number {
  const history = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recent_events'").get()
  const row = db
    .prepare(
      `SELECT MAX((SELECT IFNULL(MAX(seq), 0) FROM object_events), ${history ? '(SELECT IFNULL(MAX(seq), 0) FROM recent_events)' : '0'}) AS seq`
    )
    .get() as { seq: number }
  return Number(row.seq)
}
