/**
 * The event inspector's use cases: the paged event history, one event with its causing
 * request, the SCF event JSON as delivered, the per-trigger explanations and every delivery
 * with its attempts; the timeline of a key or a request id; replay of a recorded event
 * (to its matched functions or one chosen function) and redrive of a dead letter, both as
 * new deliveries linked to the original.
 */
import { randomInt, randomUUID } from 'node:crypto'
import type { Clock } from '../core/clock.ts'
import { CosError } from '../core/cos/errors.ts'
import { causingRequest } from '../core/events/event-history.ts'
import type { ObjectEvent } from '../core/events/object-event.ts'
import { buildScfCosEvent } from '../core/events/scf-cos-event.ts'
import { buildTimeline, type TimelineEntry } from '../core/events/timeline.ts'
import { withReasonTexts, type MatchExplanation } from '../core/events/matching.ts'
import type { FunctionTarget } from './ports.ts'
import type { EventQueue } from '../store/event-queue.ts'
import type { EventHistory, HistoryFilter, HistoryPage, HistoryRow } from '../store/event-history.ts'
import type { AttemptRecord, InvocationRecord, InvocationStore, StoredLogLine } from '../store/invocation-store.ts'

const DETAIL_LOG_LINES = 500

export interface InvocationWithAttempts extends InvocationRecord {
  event: unknown
  attemptList: AttemptRecord[]
  logs: StoredLogLine[]
  logsTruncated: boolean
}

export interface EventDetail {
  event: HistoryRow
  request: ReturnType<typeof causingRequest> & { requestId: string; time: number; sourceIp: string | null }
  delivered: unknown
  explanations: MatchExplanation[]
  invocations: InvocationWithAttempts[]
}

export interface InspectorDeps {
  history: EventHistory
  store: InvocationStore
  queue: EventQueue
  clock: Clock
  appid: string
  region: string
  findFunction(name: string): FunctionTarget | undefined
  /** Start the new deliveries (the executor). */
  dispatch(requestIds: string[]): void
  /** After a new delivery is recorded (to push and refresh the event's summary). */
  onCreated(invocation: InvocationRecord): void
}

export class EventInspector {
  readonly #deps: InspectorDeps

  constructor(deps: InspectorDeps) {
    this.#deps = deps
  }

  page(filter: HistoryFilter, options: { beforeSeq?: number; limit?: number }): HistoryPage {
    return this.#deps.history.page(filter, options)
  }

  detail(seq: number): EventDetail {
    const row = this.#require(seq)
    const original = this.#deps.queue.event(seq)
    const invocations = this.#deps.store.list({ eventSeq: seq, limit: 100 }).reverse()
    const withAttempts = invocations.map((invocation) => this.#withAttempts(invocation))
    return {
      event: row,
      request: {
        ...causingRequest(row),
        requestId: row.requestId,
        time: row.time,
        sourceIp: original?.sourceIp ?? null
      },
      delivered: withAttempts[0]?.event ?? (original ? this.#scfEvent(original, undefined) : null),
      explanations: this.#deps.history
        .explanations(seq)
        .map((explanation) => withReasonTexts(explanation, row, this.#deps.region)),
      invocations: withAttempts
    }
  }

  invocation(requestId: string): InvocationWithAttempts {
    const invocation = this.#deps.store.get(requestId)
    if (!invocation)
      throw new CosError('ResourceNotFound.Invocation', `No invocation with request id ${requestId}`, { status: 404 })
    return this.#withAttempts(invocation)
  }

  /** For an object key (with its bucket) or a COS / SCF request id. */
  timeline(subject: { bucket?: string; key?: string; requestId?: string }): {
    subject: typeof subject
    entries: TimelineEntry[]
  } {
    const { history, store } = this.#deps
    let events: HistoryRow[]
    const invocations = new Map<string, InvocationRecord>()
    if (subject.requestId) {
      events = history.find({ requestId: subject.requestId })
      const scf = store.get(subject.requestId)
      if (scf) {
        invocations.set(scf.requestId, scf)
        if (scf.eventSeq !== null && events.length === 0) {
          const row = history.get(scf.eventSeq)
          if (row) events = [row]
        }
        for (const replay of store.list({ replayOf: scf.requestId, limit: 50 }))
          invocations.set(replay.requestId, replay)
      }
    } else if (subject.key !== undefined) {
      events = history.find({ bucket: subject.bucket, key: subject.key, limit: 100 })
    } else {
      throw new CosError('InvalidRequest', 'The timeline needs ?bucket=B&key=K or ?requestId=R', { status: 400 })
    }
    for (const event of events) {
      for (const invocation of store.list({ eventSeq: event.seq, limit: 100 }))
        invocations.set(invocation.requestId, invocation)
    }
    const entries = buildTimeline(
      events,
      [...invocations.values()]
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((invocation) => ({
          ...invocation,
          attempts: store.attempts(invocation.requestId),
          logs: store.logs({ requestId: invocation.requestId, limit: 201 })
        }))
    )
    return { subject, entries }
  }

  /** Deliver a recorded event again: to the functions it matched, or to `functionName`. */
  replay(seq: number, functionName?: string): InvocationRecord[] {
    const row = this.#require(seq)
    const originals = this.#deps.store.list({ eventSeq: seq, limit: 100 }).filter((item) => item.replayOf === null)
    let targets: string[]
    if (functionName) {
      if (!this.#deps.findFunction(functionName))
        throw new CosError('ResourceNotFound.Function', `No function named ${JSON.stringify(functionName)}`, {
          status: 404
        })
      targets = [functionName]
    } else {
      targets = [...new Set(originals.map((item) => item.functionName))]
      if (targets.length === 0)
        throw new CosError(
          'InvalidRequest',
          `Event #${seq} matched no function; choose one to replay it to (cos-local events replay ${seq} --function NAME)`,
          { status: 400 }
        )
    }
    const object = this.#deps.queue.event(seq)
    const created: InvocationRecord[] = []
    this.#deps.store.db.transaction(() => {
      for (const name of targets) {
        const original = originals.find((item) => item.functionName === name)
        const event = original
          ? this.#deps.store.event(original.requestId)
          : this.#scfEvent(object ?? this.#fromRow(row), name)
        created.push(
          this.#insert(name, {
            seq,
            row,
            event,
            replayOf: original?.requestId ?? null,
            triggerId: original?.triggerId ?? null
          })
        )
      }
    })()
    this.#started(created)
    return created
  }

  /** Deliver a dead-lettered (or failed) invocation's event again, as a new delivery. */
  redrive(requestId: string): InvocationRecord {
    const original = this.#deps.store.get(requestId)
    if (!original)
      throw new CosError('ResourceNotFound.Invocation', `No invocation with request id ${requestId}`, { status: 404 })
    if (original.status !== 'dead-lettered' && original.status !== 'failed')
      throw new CosError(
        'InvalidRequest',
        `Invocation ${requestId} is ${original.status}; only dead letters (and failed invocations) can be redriven`,
        { status: 409 }
      )
    if (!this.#deps.findFunction(original.functionName))
      throw new CosError('ResourceNotFound.Function', `Function ${original.functionName} no longer exists`, {
        status: 404
      })
    const row = original.eventSeq === null ? undefined : this.#deps.history.get(original.eventSeq)
    let created!: InvocationRecord
    this.#deps.store.db.transaction(() => {
      created = this.#insert(original.functionName, {
        seq: original.eventSeq,
        row,
        event: this.#deps.store.event(requestId),
        replayOf: requestId,
        triggerId: original.triggerId,
        fallback: original
      })
    })()
    this.#started([created])
    return created
  }

  deadLetters(limit = 200): (InvocationRecord & { redrives: InvocationRecord[] })[] {
    return this.#deps.store.list({ status: 'dead-lettered', limit }).map((invocation) => ({
      ...invocation,
      redrives: this.#deps.store.list({ replayOf: invocation.requestId, limit: 10 })
    }))
  }

  #insert(
    functionName: string,
    input: {
      seq: number | null
      row: HistoryRow | undefined
      event: unknown
      replayOf: string | null
      triggerId: string | null
      fallback?: InvocationRecord
    }
  ): InvocationRecord {
    const fn = this.#deps.findFunction(functionName)!
    const requestId = randomUUID()
    this.#deps.store.insert({
      requestId,
      functionName,
      triggerId: input.triggerId,
      source: 'trigger',
      eventSeq: input.seq,
      eventName: input.row?.name ?? input.fallback?.eventName ?? null,
      bucket: input.row?.bucket ?? input.fallback?.bucket ?? null,
      key: input.row?.key ?? input.fallback?.key ?? null,
      event: input.event,
      retryNum: fn.retryNum,
      status: 'pending',
      now: this.#deps.clock.now(),
      replayOf: input.replayOf ?? (input.seq === null ? null : `event:${input.seq}`)
    })
    return this.#deps.store.get(requestId)!
  }

  #started(created: InvocationRecord[]): void {
    for (const invocation of created) this.#deps.onCreated(invocation)
    this.#deps.dispatch(created.map((invocation) => invocation.requestId))
  }

  #require(seq: number): HistoryRow {
    const row = this.#deps.history.get(seq)
    if (!row)
      throw new CosError('ResourceNotFound.Event', `No event #${seq} in the history (the newest events are kept)`, {
        status: 404
      })
    return row
  }

  #withAttempts(invocation: InvocationRecord): InvocationWithAttempts {
    const { store } = this.#deps
    const logs = store.logs({ requestId: invocation.requestId, limit: DETAIL_LOG_LINES + 1 })
    return {
      ...invocation,
      event: store.event(invocation.requestId),
      attemptList: store.attempts(invocation.requestId),
      logs: logs.slice(0, DETAIL_LOG_LINES),
      logsTruncated: logs.length > DETAIL_LOG_LINES
    }
  }

  #fromRow(row: HistoryRow): ObjectEvent {
    return {
      name: row.name as ObjectEvent['name'],
      bucket: row.bucket,
      region: row.region,
      key: row.key,
      versionId: '',
      size: 0,
      etag: '',
      meta: {},
      requestId: row.requestId,
      sourceIp: '',
      authorization: '',
      time: row.time
    }
  }

  #scfEvent(event: ObjectEvent, functionName: string | undefined): unknown {
    const fn = functionName ? this.#deps.findFunction(functionName) : undefined
    return buildScfCosEvent(event, {
      appid: this.#deps.appid,
      namespace: fn?.namespace ?? 'default',
      functionName: fn?.name ?? '(none)',
      qualifier: '$DEFAULT',
      functionRegion: this.#deps.region,
      reqid: randomInt(100_000_000, 2_147_483_647),
      notificationId: 'replay'
    })
  }
}
