/**
 * A group commit that waits a moment before it commits: the units handed to it within
 * `windowMs` share one transaction. The delivery executor records attempt ends this way —
 * under a burst of events they arrive a few per turn of the event loop, each turn's own
 * COMMIT (a WAL append, and a checkpoint's worth of pages later) cost more than the writes
 * in it. Nothing waits on these commits but the announcement of the outcome (an attempt's
 * end is acknowledged to no one; after a crash before its commit the delivery runs again,
 * as for any unfinished delivery), so a few ms of delay costs no latency that matters.
 *
 * Better still, the units can ride in a transaction that is about to commit anyway (`ride`:
 * the storage's group commit of a burst's PUTs, through the dispatcher's in-commit step, when
 * that group commits on the main thread):
 * no COMMIT of their own, and the pages they change (the newest invocation, log and history
 * rows and their indexes' last pages) are the ones the PUTs' deliveries change, written once.
 */
import type { Db } from '../store/db.ts'
import type { GroupCommit } from '../store/group-commit.ts'

export interface CoalescedCommit extends GroupCommit {
  /** Hand what waits to the group commit now (at shutdown). */
  flush(): void
  /**
   * Inside another transaction that is about to commit: run the waiting units there, under a
   * savepoint; returns what settles them, to call once that transaction has committed. If it
   * does not commit (the callback is not called in the same turn) or a unit throws, the units
   * go to the group commit as if they had never left.
   */
  ride(): (() => void) | undefined
}

interface Unit {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/** `maxUnits`: hand them over at once when this many wait (a large group gains little more). */
export function coalescedCommit(db: Db, commit: GroupCommit, windowMs: number, maxUnits = Infinity): CoalescedCommit {
  let waiting: Unit[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  const savepoint = db.prepare('SAVEPOINT ride')
  const release = db.prepare('RELEASE ride')
  const rollbackTo = db.prepare('ROLLBACK TO ride')
  const take = (): Unit[] => {
    clearTimeout(timer)
    timer = undefined
    const units = waiting
    waiting = []
    return units
  }
  // handed over in one turn: the group commit puts them in one transaction
  const commitAlone = (units: Unit[]): void => {
    for (const unit of units) commit(unit.work).then(unit.resolve, unit.reject)
  }
  const flush = (): void => commitAlone(take())
  const coalesced = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (waiting.length === 0) timer = setTimeout(flush, windowMs)
      waiting.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (waiting.length >= maxUnits) flush()
    })
  const ride = (): (() => void) | undefined => {
    // a group the writer thread commits (store/writer-thread.ts) takes no riders: their attempt
    // ends read what they update, which a recorded group cannot
    if (waiting.length === 0 || db.recorder.recording) return undefined
    const units = take()
    const values: unknown[] = []
    savepoint.run()
    try {
      for (const unit of units) values.push(unit.work())
      release.run()
    } catch {
      rollbackTo.run()
      release.run()
      // alone, each unit's own failure reaches only its caller
      commitAlone(units)
      return undefined
    }
    let settled = false
    // the host transaction commits and calls back within this turn, or it rolled back
    queueMicrotask(() => {
      if (!settled) commitAlone(units)
    })
    return () => {
      settled = true
      units.forEach((unit, i) => unit.resolve(values[i]))
    }
  }
  return Object.assign(coalesced, { flush, ride })
}
