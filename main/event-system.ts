/**
 * Part of the composition root (used by createApp and by the bus tests): builds the
 * function registry and runner, the event bus and the functions service, and wires them
 * through their ports: the bus reaches functions through a FunctionInvoker and a
 * TriggerSource, the functions service starts test invokes through an InvocationLauncher.
 */
import type { PushSink } from '../preload/contract/push.ts'
import type { EventSystem } from './app-api/services.ts'
import { createEventBus } from './bus/event-bus.ts'
import type { Clock } from './core/clock.ts'
import { createFunctionsService, functionsInvoker, triggerRules } from './functions/functions-service.ts'
import { FunctionRegistry } from './functions/registry.ts'
import { FunctionRunner, type RunnerOptions } from './functions/runner.ts'
import { sparesFor } from './functions/spare-runtime.ts'
import { AppState } from './store/app-state.ts'
import type { Db } from './store/db.ts'
import type { EventQueue } from './store/event-queue.ts'

export interface EventSystemOptions {
  /** The database and queue storage commits its events to (from createStorage). */
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
  /**
   * The instance's credentials, given to functions as TENCENTCLOUD_SECRETID/SECRETKEY (what SCF
   * sets for a function with a role), so code that signs its COS requests works here too.
   */
  credentials?: { secretId: string; secretKey: string }
  /** The region of a bucket storage knows (for new triggers and explanations). */
  bucketRegion?: (bucket: string) => string | undefined
  runner?: Partial<Pick<RunnerOptions, 'maxInstances' | 'idleMs' | 'logLimitBytes' | 'pythonCommand' | 'nodeCommand'>>
  /** Finished invocations (with logs) kept per function. Default 200. */
  keepInvocationsPerFunction?: number
}

export type { EventSystem }

export function createEventSystem(options: EventSystemOptions): EventSystem {
  const { clock, appid, region, bucketRegion } = options
  const state = new AppState(options.dataDir)
  const registry = new FunctionRegistry(options.dataDir, state, () => clock.now())
  const runner = new FunctionRunner({
    appid,
    region,
    now: () => clock.now(),
    baseEnv: functionEnv(options),
    spares: () => sparesFor(registry.list()),
    ...options.runner
  })
  const bus = createEventBus({
    db: options.db,
    queue: options.queue,
    clock,
    appid,
    region,
    push: options.push,
    functions: functionsInvoker(registry, runner),
    triggers: triggerRules(state),
    bucketRegion,
    keepInvocationsPerFunction: options.keepInvocationsPerFunction
  })
  const functions = createFunctionsService({
    registry,
    runner,
    state,
    clock,
    appid,
    region,
    invocations: bus,
    bucketRegion
  })
  let stopping: Promise<void> | undefined

  return {
    appid,
    region,
    functions: functions.functions,
    triggers: functions.triggers,
    testTemplates: functions.testTemplates,
    importConfig: functions.importConfig,
    exportServerlessYml: functions.exportServerlessYml,
    invocations: bus.invocations,
    start: bus.start,
    explain: bus.explain,
    recentEvents: bus.recentEvents,
    waitFor: bus.waitFor,
    drain: bus.drain,
    inspector: bus.inspector,
    faults: bus.faults,
    delivery: bus.delivery,
    recentOutcomes: bus.recentOutcomes,
    functionStatus: () =>
      functions.functions.list().map((fn) => {
        const outcomes = bus.recentOutcomes(fn.name)
        return {
          name: fn.name,
          ...runner.instancesOf(fn.name),
          lastInvocationAt: outcomes.lastAt,
          recent: outcomes.total,
          recentFailed: outcomes.failed,
          fault: bus.faults.list()[fn.name] ?? null
        }
      }),
    stats: () => ({ ...functions.stats(), inFlight: bus.inFlight() }),
    stop() {
      stopping ??= (async () => {
        await bus.stop()
        await functions.stop()
      })()
      return stopping
    }
  }
}

function functionEnv({ cosEndpoint, credentials }: EventSystemOptions): Record<string, string> {
  return {
    ...(cosEndpoint && { COS_LOCAL_ENDPOINT: cosEndpoint }),
    ...(credentials && {
      TENCENTCLOUD_SECRETID: credentials.secretId,
      TENCENTCLOUD_SECRETKEY: credentials.secretKey
    })
  }
}
