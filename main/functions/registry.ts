/**
 * The function registry: functions' configs (in app state) and code (in
 * `<data>/functions/<name>/`). Creating, updating and deleting keep both in step.
 */
import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import { CosError } from '../core/cos/errors.ts'
import { parseHandler, validateFunctionConfig, type FunctionConfigInput } from '../core/functions/function-config.ts'
import type { AppState, FunctionRecord } from '../store/app-state.ts'
import { functionsRoot, installCode, removeCode, type CodeSource } from './code-install.ts'
import type { RunSpec } from './runner.ts'

const EXTENSIONS = { nodejs: ['.js', '.cjs', '.mjs'], python3: ['.py'] } as const

export class FunctionRegistry {
  readonly #dataDir: string
  readonly #state: AppState
  readonly #now: () => number

  constructor(dataDir: string, state: AppState, now: () => number) {
    this.#dataDir = dataDir
    this.#state = state
    this.#now = now
  }

  /** COS Local's data folder (the hot-reload watcher ignores changes inside it). */
  get dataDir(): string {
    return this.#dataDir
  }

  list(): FunctionRecord[] {
    return [...this.#state.functions]
  }

  get(name: string): FunctionRecord | undefined {
    return this.#state.findFunction(name)
  }

  require(name: string): FunctionRecord {
    const fn = this.get(name)
    if (!fn)
      throw new CosError('ResourceNotFound.Function', `No function named ${JSON.stringify(name)}`, { status: 404 })
    return fn
  }

  codeDir(name: string): string {
    return join(functionsRoot(this.#dataDir), name)
  }

  spec(name: string): RunSpec | undefined {
    const fn = this.get(name)
    return fn ? { config: fn, codeDir: this.codeDir(name), revision: fn.revision } : undefined
  }

  create(input: FunctionConfigInput, code: CodeSource, options: { replace?: boolean } = {}): FunctionRecord {
    const config = validateFunctionConfig(input)
    const existing = this.get(config.name)
    if (existing && !options.replace) {
      throw new CosError('ResourceInUse.Function', `Function ${config.name} already exists`, { status: 409 })
    }
    this.#install(config.name, config.runtime, config.handler, code)
    const now = this.#now()
    const record: FunctionRecord = {
      ...config,
      source: code.type === 'template' ? `template:${code.template}` : code.type,
      ...sourceDirOf(code),
      revision: newRevision(),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now
    }
    this.#state.update((data) => {
      data.functions = data.functions.filter((fn) => fn.name !== config.name)
      data.functions.push(record)
    })
    return record
  }

  update(name: string, patch: Partial<Omit<FunctionConfigInput, 'name'>>, code?: CodeSource): FunctionRecord {
    const current = this.require(name)
    const config = validateFunctionConfig({ ...current, ...patch, name })
    if (code) this.#install(name, config.runtime, config.handler, code)
    const record: FunctionRecord = {
      ...config,
      source: code ? (code.type === 'template' ? `template:${code.template}` : code.type) : current.source,
      ...(code ? sourceDirOf(code) : current.sourceDir ? { sourceDir: current.sourceDir } : {}),
      revision: newRevision(),
      createdAt: current.createdAt,
      updatedAt: this.#now()
    }
    this.#state.update((data) => {
      data.functions = data.functions.map((fn) => (fn.name === name ? record : fn))
    })
    return record
  }

  remove(name: string): void {
    this.require(name)
    this.#state.update((data) => {
      data.functions = data.functions.filter((fn) => fn.name !== name)
      data.triggers = data.triggers.filter((trigger) => trigger.functionName !== name)
    })
    removeCode(this.#dataDir, name)
  }

  #install(name: string, runtime: keyof typeof EXTENSIONS, handler: string, code: CodeSource): void {
    installCode(this.#dataDir, name, code, parseHandler(handler).file, [...EXTENSIONS[runtime]])
  }
}

function sourceDirOf(code: CodeSource): { sourceDir?: string } {
  return code.type === 'dir' ? { sourceDir: resolve(code.path) } : {}
}

function newRevision(): string {
  return randomBytes(6).toString('hex')
}
