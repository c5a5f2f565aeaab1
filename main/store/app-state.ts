/**
 * Small, human-readable app state in `<data>/app-state.json` (lowdb, written atomically
 * by rename): the functions and their COS triggers. Many-row data (invocations, logs)
 * lives in the SQL database instead (invocation-store.ts).
 */
import { LowSync, type SyncAdapter } from 'lowdb'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DataFolderError } from './damaged-data.ts'
import { writeSecretFile } from './private-files.ts'
import type { FunctionConfig } from '../core/functions/function-config.ts'
import type { TriggerRule } from '../core/events/trigger-rule.ts'

export interface FunctionRecord extends FunctionConfig {
  /** How the code arrived: folder, zip, template, inline files or import. */
  source: string
  /** The folder a `dir` function was created from; it is watched and its changes hot-reloaded. */
  sourceDir?: string
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
    this.#db = new LowSync<AppStateData>(new PrivateJsonFile(join(dataDir, 'app-state.json')), {
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

/**
 * lowdb's file adapter, written 0600 (function environments may hold credentials); a file
 * that is not the app state's JSON stops the start with a DataFolderError (never overwritten).
 */
class PrivateJsonFile implements SyncAdapter<AppStateData> {
  readonly #path: string

  constructor(path: string) {
    this.#path = path
  }

  read(): AppStateData | null {
    let text: string
    try {
      text = readFileSync(this.#path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      const what = text.trim() === '' ? 'it is empty' : `it is not valid JSON (${detail})`
      throw new DataFolderError(this.#path, what)
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new DataFolderError(this.#path, 'it does not hold a JSON object with "functions" and "triggers"')
    const { functions, triggers } = data as Partial<AppStateData>
    if ((functions !== undefined && !Array.isArray(functions)) || (triggers !== undefined && !Array.isArray(triggers)))
      throw new DataFolderError(this.#path, '"functions" and "triggers" must be lists')
    return data as AppStateData
  }

  write(data: AppStateData): void {
    writeSecretFile(this.#path, JSON.stringify(data, null, 2))
  }
}
