/**
 * The durable queue of ObjectEvents. The storage service appends inside the same
 * transaction as the metadata change (so an acknowledged write never loses its event);
 * the event bus reads pending events, fans them out to deliveries and marks them done.
 */
import type { ObjectEvent } from '../core/events/object-event.ts'
import { migrate, type Db } from './db.ts'

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
  readonly #insert
  readonly #pendingSeqs
  readonly #pending
  /**
   * Events appended by this process and not yet marked done, by seq: `pending` hands these
   * back without reading and parsing their JSON again. A seq of a rolled-back insert can be
   * given again; the later append replaces the entry, and only seqs the table still holds as
   * pending are ever read from here.
   */
  readonly #fresh = new Map<number, ObjectEvent>()
  readonly #done
  readonly #doneThrough
  readonly #since
  readonly #prune
  readonly #readers = new Set<() => number>()
  #doneSincePrune = 0
  #inCommit: (() => (() => void) | undefined) | undefined

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
    this.#insert = db.prepare('INSERT INTO object_events (event, created_at) VALUES (?, ?)')
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
   * metadata; then call `notify()` after the commit to wake the bus.
   */
  append(events: ObjectEvent[]): void {
    for (const event of events) {
      const seq = Number(this.#insert.run(JSON.stringify(event), event.time).lastInsertRowid)
      // bounded: with no consumer (a stopped bus) the events are read from the table instead
      if (this.#fresh.size >= FRESH_LIMIT) this.#fresh.clear()
      this.#fresh.set(seq, event)
    }
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
    return this.#inCommit?.()
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Pending events after `afterSeq`, oldest first. */
  pending(afterSeq = 0, limit = 100): QueuedEvent[] {
    const seqs = this.#pendingSeqs.all(afterSeq, limit) as number[]
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

  /** Delete handled events that every reader has passed, keeping the newest RETAIN_DONE. */
  prune(): number {
    this.#doneSincePrune = 0
    let upTo = Number.MAX_SAFE_INTEGER
    for (const position of this.#readers) upTo = Math.min(upTo, position())
    return Number(this.#prune.run(upTo, RETAIN_DONE).changes)
  }

  get db(): Db {
    return this.#db
  }
}
