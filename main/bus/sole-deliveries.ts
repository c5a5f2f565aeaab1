/**
 * Events with exactly one delivery, known from the fan-out that made it: the event's history
 * summary is then that delivery's own state, written without reading the event's deliveries
 * back (one statement instead of two at every status change). An event leaves the set when
 * another delivery of it is made (a replay or redrive) and when its delivery has finished;
 * after a restart the set starts empty and summaries read the deliveries, as they always may.
 */
import type { InvocationRecord } from '../store/invocation-store.ts'

const UNFINISHED = new Set(['pending', 'running', 'retrying'])

export class SoleDeliveries {
  /** The request id of each event's one delivery, by event seq. */
  readonly #bySeq = new Map<number, string>()

  /** New deliveries of one fan-out: the events among them with a single one are noted. */
  add(deliveries: InvocationRecord[]): void {
    const count = new Map<number, number>()
    for (const { eventSeq } of deliveries) if (eventSeq !== null) count.set(eventSeq, (count.get(eventSeq) ?? 0) + 1)
    for (const { eventSeq, requestId } of deliveries)
      if (eventSeq !== null && count.get(eventSeq) === 1) this.#bySeq.set(eventSeq, requestId)
  }

  /** Another delivery of the event exists now. */
  drop(seq: number): void {
    this.#bySeq.delete(seq)
  }

  /**
   * Whether `invocation` (as about to be committed) is its event's only delivery; once it has
   * finished, the event is forgotten (its summary is final until a replay, which drops it anyway).
   */
  is(seq: number, invocation: InvocationRecord): boolean {
    if (this.#bySeq.get(seq) !== invocation.requestId) return false
    if (!UNFINISHED.has(invocation.status)) this.#bySeq.delete(seq)
    return true
  }
}
