/**
 * Events with exactly one delivery, known from the fan-out that made it, with their history
 * row as it was recorded: the event's history summary is then that delivery's own state,
 * written without reading the event's deliveries or its row back (one statement, no
 * RETURNING, at every status change). An event leaves the set when another delivery of it is
 * made (a replay or redrive) and when its delivery has finished; after a restart the set
 * starts empty and summaries read the deliveries and the row, as they always may.
 */
import type { HistoryRow } from '../store/event-history.ts'
import type { InvocationRecord } from '../store/invocation-store.ts'

const UNFINISHED = new Set(['pending', 'running', 'retrying'])

export class SoleDeliveries {
  /** Each event's one delivery (its request id) and history row as recorded, by event seq. */
  readonly #bySeq = new Map<number, { requestId: string; row: HistoryRow }>()

  /** An event recorded with `row` by the fan-out: noted when it has a single delivery. */
  add(row: HistoryRow): void {
    if (row.invocations.length === 1) this.#bySeq.set(row.seq, { requestId: row.invocations[0]!, row })
  }

  /** Another delivery of the event exists now. */
  drop(seq: number): void {
    this.#bySeq.delete(seq)
  }

  /**
   * The event's recorded row when `invocation` (as about to be committed) is its only delivery;
   * once it has finished, the event is forgotten (its summary is final until a replay, which
   * drops it anyway).
   */
  recorded(seq: number, invocation: InvocationRecord): HistoryRow | undefined {
    const sole = this.#bySeq.get(seq)
    if (sole?.requestId !== invocation.requestId) return undefined
    if (!UNFINISHED.has(invocation.status)) this.#bySeq.delete(seq)
    return sole.row
  }
}
