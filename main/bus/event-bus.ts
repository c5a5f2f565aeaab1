/**
 * The event bus: the durable event queue → the dispatcher (trigger matching, one delivery
 * per matched function) → the delivery executor (attempts, SCF's retries, dead letters,
 * recovery after a restart). It reaches functions only through the FunctionInvoker and
 * TriggerSource ports handed in by the composition root.
 */
import type { PushSink } from '../../preload/contract/push.ts'
import type { Clock } from '../core/clock.ts'
import type { Db } from '../store/db.ts'
import type { EventQueue } from '../store/event-queue.ts'
import {
  InvocationStore,
  type InvocationQuery,
  type InvocationRecord,
  type StoredLogLine
} from '../store/invocation-store.ts'
import { RecentEvents, type RecentEvent } from '../store/recent-events.ts'
import { EventHistory } from '../store/event-history.ts'
import { EventInspector } from './event-inspector.ts'
import { FaultInjector } from './fault-injector.ts'
import { DeliveryExecutor } from './delivery-executor.ts'
import { Dispatcher } from './dispatcher.ts'
import { explainKey, type ExplainResult } from './explain.ts'
import { invocationDetail, type InvocationDetail } from './invocation-detail.ts'
import { InvocationWaiters, type WaitQuery } from './invocation-waiters.ts'
import { LogPusher } from './log-pusher.ts'
import { SoleDeliveries } from './sole-deliveries.ts'
import type { FunctionInvoker, TriggerSource } from './ports.ts'

export interface EventBusOptions {
  db: Db
  queue: EventQueue
  clock: Clock
  appid: string
  /** The functions' region (COS triggers only fire for buckets in it). */
  region: string
  functions: FunctionInvoker
  triggers: TriggerSource
  push?: PushSink
  /** The region of a bucket storage knows (for explanations). */
  bucketRegion?: (bucket: string) => string | undefined
  /** Finished invocations (with logs) kept per function. Default 200. */
  keepInvocationsPerFunction?: number
}

export interface InvocationsApi {
  list(query?: InvocationQuery): InvocationRecord[]
  get(requestId: string): InvocationDetail
  logs(query: {
    requestId?: string
    functionName?: string
    afterId?: number
    limit?: number
    tail?: number
  }): StoredLogLine[]
  deadLetters(limit?: number): InvocationRecord[]
}

/** A test invoke: recorded like a delivery, run once (no retries). */
export interface TestInvocation {
  requestId: string
  functionName: string
  event: unknown
  eventName: string | null
  bucket: string | null
  key: string | null
}

export interface EventBus {
  start(): void
  stop(): Promise<void>
  invocations: InvocationsApi
  explain(bucket: string, key: string): ExplainResult
  recentEvents(query?: { bucket?: string; key?: string; limit?: number }): RecentEvent[]
  waitFor(query: WaitQuery): Promise<InvocationRecord | undefined>
  /** Record a test invoke and run it now; resolves with its result and logs. */
  invokeNow(invocation: TestInvocation): Promise<InvocationDetail>
  /** Consume pending queue events now (normally automatic after queue.notify()). */
  drain(): number
  /** Deliveries with an attempt running. */
  inFlight(): number
  /** Event history, inspector, timeline, replay and redrive. */
  inspector: EventInspector
  /** Fault injection per function. */
  faults: FaultInjector
  /** Pause and resume delivery for the whole bus. */
  delivery: { pause(): void; resume(): void; state(): { paused: boolean; held: number; inFlight: number } }
  /** The newest invocations of a function: how many, how many failed, the newest time. */
  recentOutcomes(functionName: string): { total: number; failed: number; lastAt: number | null }
}

export function createEventBus(options: EventBusOptions): EventBus {
  const { queue, clock, appid, region, push } = options
  const store = new InvocationStore(options.db)
  const recent = new RecentEvents(options.db)
  const history = new EventHistory(options.db, () => recent.flushDeferred())
  const faults = new FaultInjector()
  const waiters = new InvocationWaiters(store)
  const logs = new LogPusher(push)
  const sole = new SoleDeliveries()
  const executor = new DeliveryExecutor({
    store,
    functions: options.functions,
    clock,
    keepPerFunction: options.keepInvocationsPerFunction ?? 200,
    faults,
    // An invocation changed: its event's history row gets a new delivery summary, in the same commit.
    summarize: (invocation) => {
      const seq = invocation.eventSeq
      if (seq === null) return undefined
      const recorded = sole.recorded(seq, invocation)
      if (!recorded) return history.refresh(seq)
      return history.refreshSole(recorded, {
        function_name: invocation.functionName,
        status: invocation.status,
        attempts: invocation.attempts,
        message: invocation.message
      })
    },
    onUpdate: (invocation, row) => {
      waiters.update(invocation)
      if (!push?.listening) return
      push.send({ type: 'invocation', invocation })
      if (row) push.send({ type: 'history', event: row })
    },
    onLine: (invocation, line) => logs.add(invocation.requestId, invocation.functionName, line)
  })
  const dispatcher = new Dispatcher({
    queue,
    invocations: store,
    recent,
    clock,
    appid,
    region,
    triggers: options.triggers,
    findFunction: (name) => options.functions.find(name),
    startsNow: () => executor.startsNow,
    alsoInCommit: () => executor.recordInCommit(),
    onDeliveries: (deliveries) => {
      for (const delivery of deliveries) {
        if (delivery.started) executor.runStarted(delivery.invocation, delivery.event)
        else executor.dispatch(delivery.invocation.requestId)
      }
    },
    onEvent: (event, row, invoked) => {
      sole.add(row)
      // Nobody to tell: a UI that connects later lists what it shows through the app API.
      if (!push?.listening) return
      // Every stored change passes through the queue, so this is also the UI's invalidation signal.
      push.send({ type: 'objects-changed', bucket: event.bucket, keys: [event.key] })
      push.send({
        type: 'event-matched',
        seq: row.seq,
        name: event.name,
        bucket: event.bucket,
        key: event.key,
        time: event.time,
        invoked
      })
      push.send({ type: 'history', event: row })
    }
  })
  const inspector = new EventInspector({
    history,
    store,
    queue,
    clock,
    appid,
    region,
    findFunction: (name) => options.functions.find(name),
    dispatch: (requestIds) => requestIds.forEach((id) => executor.dispatch(id)),
    onCreated: (invocation) => {
      if (invocation.eventSeq !== null) sole.drop(invocation.eventSeq)
      push?.send({ type: 'invocation', invocation })
      if (invocation.eventSeq === null) return
      // Stores the event's new summary (so it runs whether or not a UI listens).
      const row = history.refresh(invocation.eventSeq)
      if (row) push?.send({ type: 'history', event: row })
    }
  })
  let started = false

  return {
    invocations: {
      list: (query) => store.list(query),
      get: (requestId) => invocationDetail(store, requestId),
      logs: (query) => store.logs(query),
      deadLetters: (limit = 100) => store.list({ status: 'dead-lettered', limit })
    },
    start() {
      if (started) return
      started = true
      executor.recover()
      dispatcher.start()
    },
    stop() {
      dispatcher.stop()
      executor.stop()
      waiters.close()
      logs.close()
      return Promise.resolve()
    },
    explain: (bucket, key) =>
      explainKey(
        { bucket, key },
        { recent, triggers: options.triggers(), appid, region, bucketRegion: options.bucketRegion }
      ),
    recentEvents: (query) => recent.list(query),
    waitFor: (query) => waiters.wait(query),
    async invokeNow(invocation) {
      store.insert({
        ...invocation,
        triggerId: null,
        source: 'test',
        eventSeq: null,
        retryNum: 0,
        status: 'pending',
        now: clock.now()
      })
      await executor.runNow(invocation.requestId)
      return invocationDetail(store, invocation.requestId)
    },
    drain: () => dispatcher.drain(),
    inFlight: () => executor.busy,
    inspector,
    faults,
    delivery: {
      pause: () => executor.pause(),
      resume: () => executor.resume(),
      state: () => ({ paused: executor.paused, held: executor.held, inFlight: executor.busy })
    },
    recentOutcomes: (functionName) => store.recentOutcomes(functionName)
  }
}
