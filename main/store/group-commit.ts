/**
 * Group commit: the metadata changes of writes that finish receiving their bodies in the
 * same turn of the event loop are committed in one database transaction, each in its own
 * savepoint, so a failing change (NoSuchBucket, a constraint) rolls back alone. Every
 * commit writes its pages to the WAL (and under --fsync flushes it), so under concurrency
 * one commit for several writes saves most of that work. A write is acknowledged only
 * after the shared commit, exactly as if it had committed alone.
 */
import type { Db } from './db.ts'

export type GroupCommit = <T>(work: () => T) => Promise<T>

interface Unit {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/**
 * `work` runs synchronously inside the shared transaction and must not open a transaction of
 * its own. `afterCommit` runs once per successful group commit (e.g. to wake the event bus).
 */
export function createGroupCommit(db: Db, afterCommit: () => void): GroupCommit {
  const statements = {
    begin: db.prepare('BEGIN'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT unit'),
    release: db.prepare('RELEASE unit'),
    rollbackTo: db.prepare('ROLLBACK TO unit')
  }
  let queue: Unit[] = []

  function flush(): void {
    const batch = queue
    queue = []
    const outcomes: { ok: boolean; value: unknown }[] = []
    try {
      statements.begin.run()
      for (const unit of batch) {
        statements.savepoint.run()
        try {
          const value = unit.work()
          statements.release.run()
          outcomes.push({ ok: true, value })
        } catch (error) {
          statements.rollbackTo.run()
          statements.release.run()
          outcomes.push({ ok: false, value: error })
        }
      }
      statements.commit.run()
    } catch (error) {
      // the transaction itself failed (I/O error, disk full): nothing of the group is committed
      try {
        if (db.inTransaction) statements.rollback.run()
      } catch {
        // the connection is broken; the errors below say why
      }
      for (const unit of batch) unit.reject(error)
      return
    }
    afterCommit()
    batch.forEach((unit, i) => {
      const outcome = outcomes[i] as { ok: boolean; value: unknown }
      if (outcome.ok) unit.resolve(outcome.value)
      else unit.reject(outcome.value)
    })
  }

  return <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush)
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
    })
}
