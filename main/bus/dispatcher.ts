/**
 * Reads the durable event queue and fans each event out: for every matching trigger one
 * delivery (an invocation record holding the exact SCF COS event), plus the per-trigger
 * match explanation, and the event is marked done — all in one transaction, which also
 * records the start of each delivery's first attempt (in its row) when the executor takes
 * them at once (`startsNow`). Deliveries then run asynchronously; the COS request that caused the event
 * never waits.
 */
import { randomInt } from 'node:crypto'
import { timeOrderedUuid } from './request-ids.ts'
import { explainMatch } from '../core/events/matching.ts'
import { buildScfCosEvent } from '../core/events/scf-cos-event.ts'
import type { ObjectEvent } from '../core/events/object-event.ts'
import type { Clock } from '../core/clock.ts'
import type { EventQueue } from '../store/event-queue.ts'
import type { InvocationRecord, InvocationStore } from '../store/invocation-store.ts'
import type { HistoryRow, RecentEvents, RecordedEvent } from '../store/recent-events.ts'
import type { FunctionTarget, TriggerSource } from './ports.ts'

export interface DispatcherOptions {
  queue: EventQueue
  invocations: InvocationStore
  recent: RecentEvents
  clock: Clock
  appid: string
  region: string
  triggers: TriggerSource
  findFunction(name: string): FunctionTarget | undefined
  /** Whether new deliveries' first attempts start in the transaction that records them. */
  startsNow(): boolean
  /**
   * Called after the commit with the new deliveries (`started`: the first attempt's start was
   * committed with it, see `startsNow`) and their SCF events.
   */
  onDeliveries(deliveries: Delivery[]): void
  /** After the commit, for every event fanned out, with its history row as recorded. */
  onEvent(event: ObjectEvent, row: HistoryRow, invoked: Invoked[]): void
  /**
   * Other bus writes that ride in the storage's commit (the attempt ends waiting for one):
   * runs inside it after the fan-out; returns what to run once it has committed.
   */
  alsoInCommit?(): (() => void) | undefined
}

export interface Invoked {
  functionName: string
  requestId: string
}

export interface Delivery {
  invocation: InvocationRecord
  event: unknown
  started: boolean
}

const BATCH = 200

export class Dispatcher {
  readonly #options: DispatcherOptions
  #unsubscribe: (() => void) | undefined
  #scheduled = false
  #stopped = false

  constructor(options: DispatcherOptions) {
    this.#options = options
  }

  start(): void {
    // rows of handled events a killed process had not written yet (recent-events.ts)
    const { queue, recent } = this.#options
    recent.restoreLater(
      (afterSeq) => queue.handledSince(afterSeq),
      (seq) => queue.event(seq)
    )
    this.#unsubscribe = this.#options.queue.subscribe(() => this.#schedule())
    // Events appended by the storage's group commit are fanned out in that same commit.
    this.#options.queue.consumeInCommit(() => this.drainInTransaction())
    this.#schedule()
  }

  stop(): void {
    this.#stopped = true
    this.#options.recent.flushDeferred()
    this.#options.queue.consumeInCommit(undefined)
    this.#unsubscribe?.()
  }

  /** Drain on the next turn of the event loop (never inside the committing request). */
  #schedule(): void {
    if (this.#scheduled || this.#stopped) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      try {
        this.drain()
      } catch (error) {
        // The events stay in the queue; the next notify (or restart) retries them.
        console.error('[cos-local] event dispatch failed:', error)
      }
    })
  }

  /** Fan out every pending event; returns how many were consumed. */
  drain(): number {
    let total = 0
    while (!this.#stopped) {
      const batch = this.#options.queue.pending(0, BATCH)
      if (batch.length === 0) break
      total += batch.length
      const announce = this.#options.queue.db.transaction(() => this.#fanOut(batch, true))()
      announce()
      if (batch.length < BATCH) break // nothing can have been appended meanwhile (all synchronous)
    }
    return total
  }

  /**
   * Fan out every pending event inside the caller's open transaction (the group commit of the
   * writes that appended them: one commit for the writes, their events and the deliveries).
   * Returns what to run once that transaction has committed.
   */
  drainInTransaction(): () => void {
    const announcements: (() => void)[] = []
    const { queue } = this.#options
    // older events first: those in the table, then the ones this commit appended (staged)
    while (!this.#stopped) {
      const batch = queue.pending(0, BATCH)
      if (batch.length === 0) break
      announcements.push(this.#fanOut(batch, true))
      if (batch.length < BATCH) break
    }
    if (!this.#stopped) {
      const staged = queue.takeStaged()
      // the queue inserts them already done, before the COMMIT
      if (staged.length > 0) announcements.push(this.#fanOut(staged, false))
      const also = this.#options.alsoInCommit?.()
      // first after the commit: should a later announcement throw, the riders still count as
      // committed (otherwise their fallback would commit them a second time)
      if (also) announcements.unshift(also)
    }
    return () => {
      for (const announce of announcements) announce()
    }
  }

  /**
   * The deliveries, history rows and (`markDone`: for events read from the table) done marks of
   * `batch`, written in the open transaction; returns what announces them (pushes, delivery
   * starts), to run after the commit.
   */
  #fanOut(batch: { seq: number; event: ObjectEvent }[], markDone: boolean): () => void {
    const { queue, invocations, recent, clock, appid, region } = this.#options
    const triggers = this.#options.triggers()
    const deliveries: Delivery[] = []
    /** What to announce of each recorded event (in `recorded`'s order). */
    const notices: { event: ObjectEvent; invoked: Invoked[] }[] = []
    const recorded: RecordedEvent[] = []
    const now = clock.now()
    const startsNow = this.#options.startsNow()
    for (const { seq, event } of batch) {
      // Every trigger is explained (not only this bucket's), so a typo in a trigger's bucket shows up.
      const explanations = triggers.map((trigger) => explainMatch(trigger, event, region))
      const invoked: Invoked[] = []
      for (const [index, trigger] of triggers.entries()) {
        if (!explanations[index]!.matched) continue
        const fn = this.#options.findFunction(trigger.functionName)
        if (!fn) continue
        const requestId = timeOrderedUuid()
        const scfEvent = buildScfCosEvent(event, {
          appid,
          namespace: fn.namespace,
          functionName: fn.name,
          qualifier: trigger.qualifier,
          functionRegion: region,
          reqid: randomInt(100_000_000, 2_147_483_647),
          notificationId: trigger.id
        })
        const invocation = invocations.insert({
          requestId,
          functionName: fn.name,
          triggerId: trigger.id,
          source: 'trigger',
          eventSeq: seq,
          eventName: event.name,
          bucket: event.bucket,
          key: event.key,
          event: scfEvent,
          retryNum: fn.retryNum,
          status: 'pending',
          now,
          startedAt: startsNow ? now : undefined
        })
        invoked.push({ functionName: fn.name, requestId })
        deliveries.push({ invocation, event: scfEvent, started: startsNow })
      }
      const attempts = startsNow ? invoked.length : 0
      recorded.push({ seq, event, explanations, invocations: invoked.map((call) => call.requestId), attempts })
      notices.push({ event, invoked })
    }
    const rows = historyRows(recent, recorded)
    // the batch is the oldest pending events, so this marks exactly them
    if (markDone) queue.markDoneThrough(batch[batch.length - 1]!.seq)
    recent.prune()
    return () => {
      notices.forEach((notice, index) => this.#options.onEvent(notice.event, rows[index]!, notice.invoked))
      if (deliveries.length > 0) this.#options.onDeliveries(deliveries)
    }
  }
}

/**
 * The history rows of `recorded`, in its order: the events that started deliveries are recorded
 * in this transaction (their rows change with them), the rest deferred (recent-events.ts).
 */
function historyRows(recent: RecentEvents, recorded: RecordedEvent[]): HistoryRow[] {
  let started = 0
  for (const entry of recorded) if (entry.invocations.length > 0) started++
  if (started === recorded.length) return recent.record(recorded)
  if (started === 0) return recent.defer(recorded)
  const now = recent.record(recorded.filter((entry) => entry.invocations.length > 0))
  const later = recent.defer(recorded.filter((entry) => entry.invocations.length === 0))
  let n = 0
  let l = 0
  return recorded.map((entry) => (entry.invocations.length > 0 ? now[n++]! : later[l++]!))
}
