/**
 * Small, human-readable app state in `<data>/app-state.json` (lowdb, written atomically
 * by rename): the functions and their COS triggers. Many-row data (invocations, logs)
 * lives in the SQL database instead (invocation-store.ts).
 */
import { LowSync } from 'lowdb'
import { JSONFileSync } from 'lowdb/node'
import { join } from 'node:path'
import type { FunctionConfig } from '../core/functions/function-config.ts'
import type { TriggerRule } from '../core/events/trigger-rule.ts'

export interface FunctionRecord extends FunctionConfig {
  /** How the code arrived: folder, zip, template, inline files or import. */
  source: string
  /** Changes with every code or config update (warm instances of older revisions retire). */
  revision: string
  createdAt: number
  updatedAt: number
}

export interface AppStateData {
  version: 1
  functions: FunctionRecord[]
  triggers: TriggerRule[]
}

export class AppState {
  readonly #db: LowSync<AppStateData>

  constructor(dataDir: string) {
    // Not JSONFileSyncPreset: it silently keeps data in memory when NODE_ENV is 'test'.
    this.#db = new LowSync<AppStateData>(new JSONFileSync(join(dataDir, 'app-state.json')), {
      version: 1,
      functions: [],
      triggers: []
    })
    this.#db.read()
    this.#db.data.functions ??= []
    this.#db.data.triggers ??= []
  }

  get functions(): readonly FunctionRecord[] {
    return this.#db.data.functions
  }

  get triggers(): readonly TriggerRule[] {
    return this.#db.data.triggers
  }

  findFunction(name: string): FunctionRecord | undefined {
    return this.#db.data.functions.find((fn) => fn.name === name)
  }

  findTrigger(id: string): TriggerRule | undefined {
    return this.#db.data.triggers.find((trigger) => trigger.id === id)
  }

  /** Change the state and write the file (atomically) before returning. */
  update<T>(change: (data: AppStateData) => T): T {
    const result = change(this.#db.data)
    this.#db.write()
    return result
  }
}
