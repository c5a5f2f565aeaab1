/**
 * A group commit that waits a moment before it commits: the units handed to it within
 * `windowMs` share one transaction. The delivery executor records attempt ends this way —
 * under a burst of events they arrive a few per turn of the event loop, each turn's own
 * COMMIT (a WAL append, and a checkpoint's worth of pages later) cost more than the writes
 * in it. Nothing waits on these commits but the announcement of the outcome (an attempt's
 * end is acknowledged to no one; after a crash before its commit the delivery runs again,
 * as for any unfinished delivery), so a few ms of delay costs no latency that matters.
 */
import type { GroupCommit } from '../store/group-commit.ts'

export interface CoalescedCommit extends GroupCommit {
  /** Hand what waits to the group commit now (at shutdown). */
  flush(): void
}

/** `maxUnits`: hand them over at once when this many wait (a large group gains little more). */
export function coalescedCommit(commit: GroupCommit, windowMs: number, maxUnits = Infinity): CoalescedCommit {
  let waiting: (() => void)[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = (): void => {
    clearTimeout(timer)
    timer = undefined
    const units = waiting
    waiting = []
    // handed over in one turn: the group commit puts them in one transaction
    for (const unit of units) unit()
  }
  const coalesced = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (waiting.length === 0) timer = setTimeout(flush, windowMs)
      waiting.push(() => {
        commit(work).then(resolve, reject)
      })
      if (waiting.length >= maxUnits) flush()
    })
  return Object.assign(coalesced, { flush })
}
