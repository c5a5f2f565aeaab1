/**
 * Group commit: the metadata changes of writes that finish receiving their bodies in the
 * same turn of the event loop are committed in one database transaction. Every commit
 * writes its pages to the WAL (and under --fsync flushes it), so under concurrency one
 * commit for several writes saves most of that work. If a change of the group fails
 * (NoSuchBucket after a concurrent bucket delete, a constraint), the transaction is rolled
 * back and each change of the group is committed alone, so only the failing one fails.
 * A write is acknowledged only after the commit that holds it, exactly as if it had
 * committed alone.
 *
 * `inCommit` (the event bus's fan-out of the events the group appended) runs inside the same
 * transaction, after the changes, under a savepoint: one commit carries the writes, their
 * events and the events' deliveries. If it throws, only its part is rolled back (the events
 * stay pending for the bus to take up on its own) and the writes commit as they would have.
 *
 * With a writer thread (writer-thread.ts), a group is built here as always but its writes are
 * recorded (write-recorder.ts) and the thread commits them; the units are settled when it
 * answers, and the next group waits until then (the group in flight holds the commits, as
 * below). A group whose recording is refused commits here; a group the thread fails to commit
 * is committed here unit by unit, as after a failed group commit.
 *
 * `holdCommits(db)` holds every group commit of a database until released: the writes keep
 * queueing (they are acknowledged later, nothing is lost) while no new transaction starts, so
 * the WAL checkpoint thread can copy the last frames and the next commit can start the WAL over
 * (wal-checkpointer.ts) without the event loop waiting for that copy and its fsyncs.
 */
import type { Db } from './db.ts'
import { NotRecordable, type RecordedWrite } from './write-recorder.ts'
import type { WriterThread } from './writer-thread.ts'

/** Whether a database's group commits are held, and what to run once they are released. */
interface CommitGate {
  held: number
  waiting: (() => void)[]
}

const GATE = Symbol('group commits held')

/** The database's gate (on the connection object, so a statement-cache view of it finds the same). */
function gateOf(db: Db): CommitGate {
  const holder = db as unknown as { [GATE]?: CommitGate }
  return (holder[GATE] ??= { held: 0, waiting: [] })
}

/**
 * Hold the database's group commits: none starts a transaction until the returned function
 * is called (once; later calls do nothing). Writes arriving meanwhile wait in their groups.
 */
export function holdCommits(db: Db): () => void {
  const gate = gateOf(db)
  gate.held++
  let released = false
  return () => {
    if (released) return
    released = true
    if (--gate.held > 0) return
    const waiting = gate.waiting
    gate.waiting = []
    for (const resume of waiting) setImmediate(resume)
  }
}

/**
 * The most units a group handed to the writer thread holds (their rows, inline bodies of up to
 * 64 KiB included, are copied to it); a larger group, queued behind a long hold, commits here.
 */
const MAX_HANDED_OVER = 512
/**
 * A lone write commits here: with nothing else to do, the event loop would only wait for the
 * thread, and the hop there and back adds to the write's latency (and to its event's delivery).
 */
const MIN_HANDED_OVER = 2

export type GroupCommit = <T>(work: () => T) => Promise<T>

export interface GroupCommitHooks {
  /** Runs once per successful commit (e.g. to wake the event bus). */
  afterCommit(): void
  /**
   * Runs inside the transaction after the group's changes; returns what to run once the
   * commit has succeeded (or undefined). Must only change the database.
   */
  inCommit?(): (() => void) | undefined
  /**
   * Around the group's transaction (the event queue stages the group's events in memory, see
   * event-queue.ts): `begin` after BEGIN, `end` before COMMIT (after `inCommit`, whether it
   * succeeded or not; it may still write), `abort` after a rollback.
   */
  staging?: { begin(): void; end(): void; abort(): void }
  /** The thread that commits the groups (writer-thread.ts); without it, or while it is not ready, here. */
  writer?: WriterThread
  /** The most units a group handed to the writer holds (MAX_HANDED_OVER unless given). */
  maxHandedOver?: number
}

interface Unit {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/**
 * `work` runs synchronously inside the shared transaction, must not open a transaction of its
 * own, and may run twice (after a rollback): it must only change the database. A function in
 * place of the hooks is `afterCommit`.
 */
export function createGroupCommit(db: Db, hooksOrAfterCommit: GroupCommitHooks | (() => void)): GroupCommit {
  const hooks = typeof hooksOrAfterCommit === 'function' ? { afterCommit: hooksOrAfterCommit } : hooksOrAfterCommit
  // always run here: around a recorded group they are its read transaction
  const begin = db.prepareHere('BEGIN')
  const commit = db.prepareHere('COMMIT')
  const rollback = db.prepareHere('ROLLBACK')
  const savepoint = db.prepare('SAVEPOINT in_commit')
  const release = db.prepare('RELEASE in_commit')
  const rollbackTo = db.prepare('ROLLBACK TO in_commit')
  const gate = gateOf(db)
  const maxHandedOver = hooks.maxHandedOver ?? MAX_HANDED_OVER
  let queue: Unit[] = []

  /** The in-commit hook under a savepoint; a failure of its own undoes only its changes. */
  function runInCommit(): (() => void) | undefined {
    if (!hooks.inCommit) return undefined
    savepoint.run()
    try {
      const after = hooks.inCommit()
      release.run()
      return after
    } catch (error) {
      rollbackTo.run()
      release.run()
      // (a refused recording is not a failure: the group commits here instead)
      if (!(error instanceof NotRecordable)) {
        console.error('[cos-local] the in-commit step failed (its events stay queued):', error)
      }
      return undefined
    }
  }

  /**
   * Inside the open transaction: the units' work (their values pushed to `values`) and the
   * in-commit step, between the staging hooks; returns what to run once the group committed.
   */
  function runGroup(units: Unit[], values: unknown[]): (() => void) | undefined {
    hooks.staging?.begin()
    for (const unit of units) values.push(unit.work())
    const after = runInCommit()
    hooks.staging?.end()
    return after
  }

  /** Once the group's COMMIT is done: wake the consumers, settle every unit, then run `after`. */
  function settle(units: Unit[], values: unknown[], after: (() => void) | undefined): void {
    hooks.afterCommit()
    units.forEach((unit, i) => unit.resolve(values[i]))
    after?.()
  }

  /** Commit `units` in one transaction; false when one of several failed (nothing committed). */
  function commitTogether(units: Unit[]): boolean {
    const values: unknown[] = []
    let after: (() => void) | undefined
    try {
      begin.run()
      after = runGroup(units, values)
      commit.run()
    } catch (error) {
      hooks.staging?.abort()
      try {
        if (db.inTransaction) rollback.run()
      } catch {
        // the connection is broken; the error below says why
      }
      const unitFailed = values.length < units.length
      if (unitFailed && units.length > 1) return false
      for (const unit of units) unit.reject(error)
      return true
    }
    settle(units, values, after)
    return true
  }

  /**
   * Build the group with its writes recorded, inside a read transaction here, and hand them to
   * the writer thread. False (nothing changed, nothing settled) when the recording was refused.
   */
  function handOver(units: Unit[], writer: WriterThread): boolean {
    const values: unknown[] = []
    let after: (() => void) | undefined
    let complete = false
    let writes: RecordedWrite[] | undefined
    try {
      begin.run()
      db.recorder.start()
      after = runGroup(units, values)
      complete = true
    } catch {
      // refused, or a unit failed: the group commits here, where each unit's error reaches it
    } finally {
      writes = db.recorder.stop()
      endReadTransaction()
    }
    if (!complete || !writes) {
      hooks.staging?.abort()
      return false
    }
    settleAfter(writer.commit(writes), units, values, after)
    return true
  }

  /** End the read transaction a group was recorded in (it wrote nothing here). */
  function endReadTransaction(): void {
    try {
      if (db.inTransaction) commit.run()
    } catch {
      if (db.inTransaction) rollback.run()
    }
  }

  /** Settle a handed-over group once the thread answers; the next group waits until then. */
  function settleAfter(committed: Promise<void>, units: Unit[], values: unknown[], after?: () => void): void {
    const resume = holdCommits(db)
    committed.then(
      () => {
        resume()
        settle(units, values, after)
      },
      () => {
        resume()
        hooks.staging?.abort()
        for (const unit of units) commitTogether([unit])
      }
    )
  }

  function flush(): void {
    // held (see holdCommits): the queue keeps growing, flushed as one group once released
    if (gate.held > 0) return void gate.waiting.push(flush)
    const batch = queue
    queue = []
    const handed = batch.length >= MIN_HANDED_OVER && batch.length <= maxHandedOver
    if (handed && hooks.writer?.ready && handOver(batch, hooks.writer)) return
    if (commitTogether(batch)) return
    for (const unit of batch) commitTogether([unit])
  }

  return <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush)
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
    })
}
