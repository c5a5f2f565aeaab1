/**
 * The functions service: function CRUD and test invokes, COS triggers, serverless.yml
 * import and export, over the registry and runner the composition root builds. `invoker`
 * and `triggerRules` are what the event bus is handed to reach functions.
 */
import type { Clock } from '../core/clock.ts'
import type { TriggerRule } from '../core/events/trigger-rule.ts'
import { listTestTemplates, type TestTemplateInfo } from '../core/functions/test-templates.ts'
import type { AppState } from '../store/app-state.ts'
import { CodeWatcher } from './code-watcher.ts'
import { FunctionsApi } from './functions-api.ts'
import { exportServerlessYml, importConfig, type ImportOptions, type ImportResult } from './import-export.ts'
import type { InvocationLauncher } from './ports.ts'
import type { FunctionRegistry } from './registry.ts'
import type { FunctionRunner, RunRequest, RunResult } from './runner.ts'
import { TriggerService } from './trigger-service.ts'

export interface FunctionsServiceOptions {
  registry: FunctionRegistry
  runner: FunctionRunner
  state: AppState
  clock: Clock
  appid: string
  region: string
  /** Test invokes are recorded and run by the event bus. */
  invocations: InvocationLauncher
  /** The region of a bucket storage knows (for new triggers). */
  bucketRegion?: (bucket: string) => string | undefined
}

export interface FunctionsService {
  functions: FunctionsApi
  triggers: TriggerService
  testTemplates(): TestTemplateInfo[]
  /** serverless.yml / template.yaml → functions + triggers. */
  importConfig(options: ImportOptions): ImportResult
  /** The functions and triggers as serverless.yml. */
  exportServerlessYml(): string
  stats(): { instances: number; busy: number; waiting: number }
  /** Stop every warm instance. */
  stop(): Promise<void>
}

/** How the event bus runs functions (its FunctionInvoker port). */
export interface FunctionsInvoker {
  find(name: string): { name: string; namespace: string; retryNum: number } | undefined
  run(name: string, request: Required<RunRequest>): Promise<RunResult | undefined>
}

export function functionsInvoker(registry: FunctionRegistry, runner: FunctionRunner): FunctionsInvoker {
  return {
    find: (name) => registry.get(name),
    async run(name, request) {
      const spec = registry.spec(name)
      return spec ? runner.run(spec, request) : undefined
    }
  }
}

/** The trigger rules in force, for the event bus (its TriggerSource port). */
export function triggerRules(state: AppState): () => readonly TriggerRule[] {
  return () => state.triggers
}

export function createFunctionsService(options: FunctionsServiceOptions): FunctionsService {
  const { registry, runner, state, clock, appid, region, bucketRegion } = options
  const triggers = new TriggerService(state, registry, { appid, region, now: () => clock.now(), bucketRegion })
  const watcher = new CodeWatcher({
    reload: (name) => functions.reloadFromFolder(name),
    ignoreUnder: registry.dataDir,
    failed: (name, dir, error) => runner.note(name, `stopped watching ${dir} for changes: ${error.message}`)
  })
  const functions = new FunctionsApi({
    registry,
    runner,
    invocations: options.invocations,
    clock,
    appid,
    region,
    watcher
  })
  for (const fn of registry.list()) if (fn.sourceDir) watcher.watch(fn.name, fn.sourceDir)
  return {
    functions,
    triggers,
    testTemplates: () => listTestTemplates(),
    importConfig: (importOptions) => importConfig(importOptions, { functions, triggers, appid, region, bucketRegion }),
    exportServerlessYml: () => exportServerlessYml({ functions, triggers, region }),
    stats: () => runner.stats(),
    stop: () => {
      watcher.stop()
      return runner.stop()
    }
  }
}
