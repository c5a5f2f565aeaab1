/**
 * The functions service the app API and CLI use: CRUD over the registry (retiring warm
 * instances when code or config changes) and test invokes with a COS test template.
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from '../core/clock.ts'
import { CosError } from '../core/cos/errors.ts'
import { parseBucketRef } from '../core/events/bucket-ref.ts'
import { parseTriggerEventName } from '../core/events/event-names.ts'
import { cosTestTemplate } from '../core/functions/test-templates.ts'
import { parseHandler, type FunctionConfigInput } from '../core/functions/function-config.ts'
import { folderRuntime, type CodeSource } from './code-install.ts'
import {
  createCodeFile,
  deleteCodeFile,
  listCodeFiles,
  moveCodeFile,
  readCodeFile,
  writeCodeFile
} from './code-files.ts'
import type { CodeWatcher } from './code-watcher.ts'
import { setDebugMode, type DebugInfo } from './debug-mode.ts'
import type { FunctionRegistry } from './registry.ts'
import type { FunctionRunner } from './runner.ts'
import { FUNCTION_TEMPLATES } from './templates.ts'
import type { FunctionRecord } from '../store/app-state.ts'
import type { InvocationDetail, InvocationLauncher } from './ports.ts'

export interface CreateFunctionInput extends FunctionConfigInput {
  code: CodeSource
  replace?: boolean
}

export interface InvokeInput {
  event?: unknown
  /** A trigger event type: use its COS test template. */
  template?: string
  bucket?: string
  key?: string
}

export interface FunctionsApiDeps {
  registry: FunctionRegistry
  runner: FunctionRunner
  /** The event bus records and runs test invokes like deliveries. */
  invocations: InvocationLauncher
  clock: Clock
  appid: string
  region: string
  /** Watches the folders of `dir` functions for hot reload. */
  watcher?: CodeWatcher
}

export class FunctionsApi {
  readonly #deps: FunctionsApiDeps

  constructor(deps: FunctionsApiDeps) {
    this.#deps = deps
  }

  list(): FunctionRecord[] {
    return this.#deps.registry.list()
  }

  get(name: string): FunctionRecord {
    return this.#deps.registry.require(name)
  }

  create(input: CreateFunctionInput): FunctionRecord {
    const { code, replace, ...config } = input
    // A template knows its runtime; an explicit --runtime still wins (and is checked against the code).
    if (code.type === 'template' && config.runtime === undefined) {
      config.runtime = FUNCTION_TEMPLATES.find((template) => template.id === code.template)?.runtime
    }
    // A folder (the desktop app's native picker, `--dir`) with only index.py is a Python function.
    if (code.type === 'dir' && config.runtime === undefined) {
      config.runtime = folderRuntime(code.path, parseHandler(config.handler ?? 'index.main_handler').file)
    }
    const record = this.#deps.registry.create(config, code, { replace })
    this.#deps.runner.retire(record.name)
    this.#watch(record)
    return record
  }

  update(name: string, patch: Partial<Omit<FunctionConfigInput, 'name'>> & { code?: CodeSource }): FunctionRecord {
    const { code, ...config } = patch
    const record = this.#deps.registry.update(name, config, code)
    this.#deps.runner.retire(name)
    this.#watch(record)
    return record
  }

  /** Start or stop debug mode (Node --inspect / Python debugpy on a free port, no timeouts). */
  debug(name: string, enabled: boolean): Promise<DebugInfo> {
    const fn = this.#deps.registry.require(name)
    return setDebugMode(this.#deps.runner, fn, this.#deps.registry.spec(name)!, enabled)
  }

  /** The folder the code editor works on: a `dir` function's watched folder, else its installed code. */
  codeRoot(name: string): string {
    const fn = this.#deps.registry.require(name)
    return fn.sourceDir ?? this.#deps.registry.codeDir(name)
  }

  codeFiles(name: string): { root: string; files: { path: string; size: number }[]; truncated: boolean } {
    const root = this.codeRoot(name)
    return { root, ...listCodeFiles(root) }
  }

  readCode(name: string, path: string): { path: string; content: string; size: number } {
    return readCodeFile(this.codeRoot(name), path)
  }

  /** Save one file from the code editor, then reload like hot reload: the next invocation runs it. */
  writeCode(name: string, path: string, content: string): { path: string; size: number; revision: string } {
    this.#deps.registry.require(name)
    const written = writeCodeFile(this.codeRoot(name), path, content)
    return { ...written, revision: this.#reloadAfterEdit(name, `${path} edited online`) }
  }

  /** A new file from the code editor (refused when the name exists). */
  createCode(name: string, path: string, content = ''): { path: string; size: number; revision: string } {
    this.#deps.registry.require(name)
    const written = createCodeFile(this.codeRoot(name), path, content)
    return { ...written, revision: this.#reloadAfterEdit(name, `${path} created online`) }
  }

  /** Rename or move a file (the handler's own file only when another one for the handler remains). */
  moveCode(name: string, from: string, to: string): { path: string; size: number; revision: string } {
    this.#keepHandler(name, from, 'rename')
    const moved = moveCodeFile(this.codeRoot(name), from, to)
    return { ...moved, revision: this.#reloadAfterEdit(name, `${from} renamed to ${to} online`) }
  }

  deleteCode(name: string, path: string): { deleted: string; revision: string } {
    this.#keepHandler(name, path, 'delete')
    deleteCodeFile(this.codeRoot(name), path)
    return { deleted: path, revision: this.#reloadAfterEdit(name, `${path} deleted online`) }
  }

  /** Refuses to take away the last file the handler can load (the function could not start). */
  #keepHandler(name: string, path: string, action: string): void {
    const fn = this.#deps.registry.require(name)
    const file = parseHandler(fn.handler).file
    const exts = fn.runtime === 'python3' ? ['.py'] : ['.js', '.cjs', '.mjs']
    const candidates = exts.map((ext) => file + ext)
    const normalized = path.replace(/\\/g, '/')
    if (!candidates.includes(normalized)) return
    const root = this.codeRoot(name)
    const others = listCodeFiles(root).files.filter(
      (entry) => entry.path !== normalized && candidates.includes(entry.path)
    )
    if (others.length === 0) {
      throw new CosError(
        'InvalidParameterValue',
        `${normalized} holds the handler ${fn.handler}; change the handler before you ${action} it`,
        { status: 400 }
      )
    }
  }

  /** After an online edit: reload like hot reload, so the next invocation runs the new code. */
  #reloadAfterEdit(name: string, what: string): string {
    const fn = this.#deps.registry.require(name)
    if (fn.sourceDir) {
      const record = this.reloadFromFolder(name)
      if (!record)
        throw new CosError('InternalError', `Saved (${what}), but reloading ${name} failed (see its run log)`)
      return record.revision
    }
    const record = this.#deps.registry.update(name, {})
    this.#deps.runner.retire(name)
    this.#deps.runner.note(name, `code reloaded: ${what} (revision ${record.revision}); warm instances recycled`)
    return record.revision
  }

  /** Hot reload: reinstall a `dir` function's code from its folder; the next invocation runs it. */
  reloadFromFolder(name: string): FunctionRecord | undefined {
    const { registry, runner } = this.#deps
    const fn = registry.get(name)
    if (!fn?.sourceDir) return undefined
    try {
      const record = registry.update(name, {}, { type: 'dir', path: fn.sourceDir })
      runner.retire(name)
      runner.note(name, `code reloaded from ${fn.sourceDir} (revision ${record.revision}); warm instances recycled`)
      return record
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      runner.note(name, `reload from ${fn.sourceDir} failed: ${message}; still running revision ${fn.revision}`)
      return undefined
    }
  }

  #watch(record: FunctionRecord): void {
    if (record.sourceDir) this.#deps.watcher?.watch(record.name, record.sourceDir)
    else this.#deps.watcher?.unwatch(record.name)
  }

  /** Delete a function, its code and its triggers. */
  remove(name: string): void {
    this.#deps.registry.remove(name)
    this.#deps.runner.retire(name)
    this.#deps.watcher?.unwatch(name)
    this.#deps.runner.setDebug(name, undefined)
  }

  templates(): { id: string; runtime: 'nodejs' | 'python3'; description: string }[] {
    return FUNCTION_TEMPLATES.map(({ id, runtime, description }) => ({ id, runtime, description }))
  }

  /** The COS test event for an event type, filled with a real bucket/key when given. */
  testEvent(input: { template?: string; bucket?: string; key?: string; functionName?: string }): unknown {
    const { appid, region, clock } = this.#deps
    const bucket = input.bucket ? parseBucketRef(input.bucket, appid) : undefined
    return cosTestTemplate(parseTriggerEventName(input.template ?? 'cos:ObjectCreated:Put'), {
      appid,
      region: bucket?.region ?? region,
      bucket: bucket?.bucket,
      key: input.key,
      functionName: input.functionName,
      now: clock.now()
    })
  }

  /** Test invoke: runs once (no retries) and returns the result with its logs. */
  async invoke(name: string, input: InvokeInput = {}): Promise<InvocationDetail> {
    const fn = this.#deps.registry.require(name)
    if (input.event !== undefined && (input.template || input.bucket || input.key)) {
      throw new CosError('InvalidParameterValue', 'Give either an event or a template (with bucket/key), not both')
    }
    const event = input.event ?? this.testEvent({ ...input, functionName: name })
    const requestId = randomUUID()
    const record = (event as { Records?: { cos?: { cosObject?: { key?: string } }; event?: { eventName?: string } }[] })
      .Records?.[0]
    const fullKey = record?.cos?.cosObject?.key
    return this.#deps.invocations.invokeNow({
      requestId,
      functionName: fn.name,
      eventName: record?.event?.eventName ?? null,
      bucket: input.bucket ? parseBucketRef(input.bucket, this.#deps.appid).bucket : null,
      key: typeof fullKey === 'string' ? fullKey.split('/').slice(3).join('/') : null,
      event
    })
  }
}
