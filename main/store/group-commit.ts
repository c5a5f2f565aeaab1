/**
 * Group commit: the metadata changes of writes that finish receiving their bodies in the
 * same turn of the event loop are committed in one database transaction. Every commit
 * writes its pages to the WAL (and under --fsync flushes it), so under concurrency one
 * commit for several writes saves most of that work. If a change of the group fails
 * (NoSuchBucket after a concurrent bucket delete, a constraint), the transaction is rolled
 * back and each change of the group is committed alone, so only the failing one fails.
 * A write is acknowledged only after the commit that holds it, exactly as if it had
 * committed alone.
 */
import type { Db } from './db.ts'

export type GroupCommit = <T>(work: () => T) => Promise<T>

interface Unit {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/**
 * `work` runs synchronously inside the shared transaction, must not open a transaction of its
 * own, and may run twice (after a rollback): it must only change the database.
 * `afterCommit` runs once per successful commit (e.g. to wake the event bus).
 */
export function createGroupCommit(db: Db, afterCommit: () => void): GroupCommit {
  const begin = db.prepare('BEGIN')
  const commit = db.prepare('COMMIT')
  const rollback = db.prepare('ROLLBACK')
  let queue: Unit[] = []

  /** Commit `units` in one transaction; false when one of several failed (nothing committed). */
  function commitTogether(units: Unit[]): boolean {
    const values: unknown[] = []
    try {
      begin.run()
      for (const unit of units) values.push(unit.work())
      commit.run()
    } catch (error) {
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
    afterCommit()
    units.forEach((unit, i) => unit.resolve(values[i]))
    return true
  }

  function flush(): void {
    const batch = queue
    queue = []
    if (commitTogether(batch)) return
    for (const unit of batch) commitTogether([unit])
  }

  return <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush)
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
    })
}
