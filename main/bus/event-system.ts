/**
 * The event system: COS triggers, the dispatcher over the durable event queue, the
 * delivery executor (attempts, retries, dead letters, recovery), the function registry
 * and runner, and the services the app API and CLI call. Built by createApp.
 */
import type { PushSink } from '../../preload/contract/push.ts'
import type { Clock } from '../core/clock.ts'
import { listTestTemplates, type TestTemplateInfo } from '../core/functions/test-templates.ts'
import { FunctionRegistry } from '../functions/registry.ts'
import { FunctionRunner, type RunnerOptions } from '../functions/runner.ts'
import { AppState } from '../store/app-state.ts'
import type { Db } from '../store/db.ts'
import type { EventQueue } from '../store/event-queue.ts'
import {
  InvocationStore,
  type InvocationQuery,
  type InvocationRecord,
  type StoredLogLine
} from '../store/invocation-store.ts'
import { RecentEvents, type RecentEvent } from '../store/recent-events.ts'
import { DeliveryExecutor } from './delivery-executor.ts'
import { Dispatcher } from './dispatcher.ts'
import { explainKey, type ExplainResult } from './explain.ts'
import { FunctionsApi } from '../functions/functions-api.ts'
import { exportServerlessYml, importConfig, type ImportOptions, type ImportResult } from '../functions/import-export.ts'
import { invocationDetail, type InvocationDetail } from './invocation-detail.ts'
import { InvocationWaiters, type WaitQuery } from './invocation-waiters.ts'
import { LogPusher } from './log-pusher.ts'
import { TriggerService } from '../functions/trigger-service.ts'

export interface EventSystemOptions {
  db: Db
  queue: EventQueue
  dataDir: string
  clock: Clock
  appid: string
  /** The functions' region (COS triggers only fire for buckets in it). */
  region: string
  push?: PushSink
  /** COS Local's endpoint, given to functions as COS_LOCAL_ENDPOINT. */
  cosEndpoint?: string
  /** The region of a bucket the store knows (for new triggers). */
  bucketRegion?: (bucket: string) => string | undefined
  runner?: Partial<Pick<RunnerOptions, 'maxInstances' | 'idleMs' | 'logLimitBytes' | 'pythonCommand'>>
  /** Finished invocations (with logs) kept per function. Default 200. */
  keepInvocationsPerFunction?: number
}

export interface InvocationsApi {
  list(query?: InvocationQuery): InvocationRecord[]
  get(requestId: string): InvocationDetail
  logs(query: { requestId?: string; functionName?: string; afterId?: number; limit?: number }): StoredLogLine[]
  deadLetters(limit?: number): InvocationRecord[]
}

export interface EventSystem {
  readonly appid: string
  readonly region: string
  start(): void
  stop(): Promise<void>
  functions: FunctionsApi
  triggers: TriggerService
  invocations: InvocationsApi
  explain(bucket: string, key: string): ExplainResult
  recentEvents(query?: { bucket?: string; key?: string; limit?: number }): RecentEvent[]
  testTemplates(): TestTemplateInfo[]
  waitFor(query: WaitQuery): Promise<InvocationRecord | undefined>
  /** serverless.yml / template.yaml → functions + triggers. */
  importConfig(options: ImportOptions): ImportResult
  /** The functions and triggers as serverless.yml. */
  exportServerlessYml(): string
  /** Consume pending queue events now (normally automatic after queue.notify()). */
  drain(): number
  stats(): { instances: number; busy: number; waiting: number; inFlight: number }
}

export function createEventSystem(options: EventSystemOptions): EventSystem {
  const { db, queue, clock, appid, region, push } = options
  const state = new AppState(options.dataDir)
  const store = new InvocationStore(db)
  const recent = new RecentEvents(db)
  const registry = new FunctionRegistry(options.dataDir, state, () => clock.now())
  const runner = new FunctionRunner({
    appid,
    region,
    now: () => clock.now(),
    baseEnv: options.cosEndpoint ? { COS_LOCAL_ENDPOINT: options.cosEndpoint } : {},
    ...options.runner
  })
  const waiters = new InvocationWaiters(store)
  const logs = new LogPusher(push)
  const executor = new DeliveryExecutor({
    store,
    runner,
    clock,
    spec: (name) => registry.spec(name),
    keepPerFunction: options.keepInvocationsPerFunction ?? 200,
    onUpdate: (invocation) => {
      waiters.update(invocation)
      push?.send({ type: 'invocation', invocation })
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
    triggers: () => state.triggers,
    findFunction: (name) => registry.get(name),
    onDeliveries: (requestIds) => requestIds.forEach((id) => executor.dispatch(id)),
    onEvent: (event, seq, invoked) => {
      // Every stored change passes through the queue, so this is also the UI's invalidation signal.
      push?.send({ type: 'objects-changed', bucket: event.bucket, keys: [event.key] })
      push?.send({
        type: 'event-matched',
        seq,
        name: event.name,
        bucket: event.bucket,
        key: event.key,
        time: event.time,
        invoked
      })
    }
  })
  const triggers = new TriggerService(state, registry, {
    appid,
    region,
    now: () => clock.now(),
    bucketRegion: options.bucketRegion
  })
  const functions = new FunctionsApi({ registry, runner, store, executor, clock, appid, region })
  let started = false
  let stopping: Promise<void> | undefined

  return {
    appid,
    region,
    functions,
    triggers,
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
      stopping ??= (async () => {
        dispatcher.stop()
        executor.stop()
        waiters.close()
        logs.close()
        await runner.stop()
      })()
      return stopping
    },
    explain: (bucket, key) =>
      explainKey(
        { bucket, key },
        { recent, triggers: state.triggers, appid, region, bucketRegion: options.bucketRegion }
      ),
    recentEvents: (query) => recent.list(query),
    testTemplates: () => listTestTemplates(),
    waitFor: (query) => waiters.wait(query),
    importConfig: (importOptions) =>
      importConfig(importOptions, { functions, triggers, appid, region, bucketRegion: options.bucketRegion }),
    exportServerlessYml: () => exportServerlessYml({ functions, triggers, region }),
    drain: () => dispatcher.drain(),
    stats: () => ({ ...runner.stats(), inFlight: executor.busy })
  }
}
