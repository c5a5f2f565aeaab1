/**
 * The function runner: a pool of warm child-process instances. One invocation per
 * instance at a time; at most `maxInstances` processes overall (an idle instance of
 * another function is evicted to make room); when every instance is busy and none can be
 * added, the next invocation is queued behind a running one of the same function where
 * its runtime allows (FunctionInstance#canQueue: it starts the moment the ones before it
 * return, without a round trip), otherwise callers wait their turn. A short function (a few
 * ms per invocation) also queues once its busy instances fill the machine's cores, instead
 * of spreading over more processes. Idle instances expire after `idleMs`. Every run yields
 * SCF run-log lines.
 */
import { availableParallelism } from 'node:os'
import type { FunctionConfig, Runtime } from '../core/functions/function-config.ts'
import { FunctionInstance, NotStartedError, type AttemptResult } from './function-instance.ts'
import { systemTasks } from './process-tree.ts'
import { defaultPython } from './runtime-process.ts'
import { RunRecorder, errorResult, type LogLine } from './run-recorder.ts'
import { SpareRuntime, type SpareWants } from './spare-runtime.ts'

export interface RunnerOptions {
  appid: string
  region: string
  /** Emulated time for log timestamps. */
  now: () => number
  maxInstances?: number
  idleMs?: number
  /** Bytes of user log text kept per invocation. */
  logLimitBytes?: number
  /** Extra environment for every function (e.g. COS_LOCAL_ENDPOINT). */
  baseEnv?: Record<string, string>
  pythonCommand?: string
  /** Executable that forks the Node bootstrap (default process.execPath; see runtime-choice.ts). */
  nodeCommand?: string
  /** Processes one instance may have running at once besides itself (fork-bomb limit). */
  maxProcesses?: number
  /**
   * The spare runtimes to keep started (see spare-runtime.ts): a Node one of the memory size
   * (MB) of the Node functions that may start next, a Python one while Python functions exist.
   * Without this option there are no spares.
   */
  spares?: () => SpareWants
}

export interface RunSpec {
  config: FunctionConfig
  codeDir: string
  /** Changes whenever the code or config changes, so old warm instances are not reused. */
  revision: string
}

export interface RunRequest {
  requestId: string
  event: unknown
  onLine?(line: LogLine): void
}

export interface RunResult extends AttemptResult {
  lines: LogLine[]
  logTruncated: boolean
  /** Response RetMsg (success) or ERROR Result (failure). */
  message: string
}

/** The variables of COS Local's own environment a function's process gets. */
const PASSED_ENV = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SYSTEMROOT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA'
]

function passedEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of PASSED_ENV) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  return env
}

/**
 * A function whose invocations take less than this (smoothed wall time) is "short": once as
 * many instances are busy as the machine has cores, its next invocation queues behind a busy
 * instance instead of starting a process (which could not run at the same time anyway).
 */
const SHORT_MS = 5
/** ... as long as the wait behind that instance stays under this. */
const QUEUE_WAIT_MS = 10
/** Invocations that may wait behind a running one in a Node instance (sent ahead, see canQueue). */
const MAX_QUEUED = 16
/** After the runner's start, the spare waits this long (out of the way of the server's own start). */
const SPARE_FIRST_MS = 1000
/** A new spare is started this long after a change (a function created, a spare adopted)... */
const SPARE_DELAY_MS = 50
/** ... but not while invocations run (each retry this much later), unless they never stop. */
const SPARE_RETRY_MS = 250
const SPARE_MAX_RETRIES = 20

/**
 * Whether every core is running something right now: /proc/loadavg's runnable tasks (this
 * thread included) and the `handed` processes about to wake (given an invocation this turn: a
 * burst's deliveries are handed out while the instances still wait for them), at least
 * `cores`; false where that cannot be read.
 */
function coresTaken(cores: number, handed: number): boolean {
  const tasks = systemTasks()
  return tasks !== undefined && tasks.runnable + handed >= cores
}

interface Slot {
  key: string
  /** Invocations holding the instance: 0 (idle), 1 (running), more (queued behind it). */
  users: number
  idleTimer?: ReturnType<typeof setTimeout>
}

export class FunctionRunner {
  readonly #options: Required<Omit<RunnerOptions, 'pythonCommand' | 'nodeCommand' | 'maxProcesses' | 'spares'>> &
    Pick<RunnerOptions, 'pythonCommand' | 'nodeCommand' | 'maxProcesses' | 'spares'>
  readonly #slots = new Map<FunctionInstance, Slot>()
  readonly #waiters: (() => void)[] = []
  readonly #notes = new Map<string, string[]>()
  readonly #debug = new Map<string, { host: string; port: number }>()
  /** The SCF context of each function revision without its request_id (built once). */
  readonly #contexts = new Map<string, Record<string, unknown>>()
  readonly #cores = availableParallelism()
  #stopped = false
  readonly #spares = new Map<Runtime, SpareRuntime>()
  #spareTimer: ReturnType<typeof setTimeout> | undefined
  #spareRetries = 0

  constructor(options: RunnerOptions) {
    this.#options = {
      maxInstances: 8,
      idleMs: 10 * 60_000,
      logLimitBytes: 1024 * 1024,
      baseEnv: {},
      ...options
    }
    this.#planSpare(SPARE_FIRST_MS)
  }

  async run(spec: RunSpec, request: RunRequest): Promise<RunResult> {
    const recorder = new RunRecorder(request.requestId, this.#options.now, this.#options.logLimitBytes, request.onLine)
    recorder.start()
    if (this.#notes.size > 0) {
      for (const text of this.#notes.get(spec.config.name) ?? []) recorder.user(`[cos-local] ${text}`)
      this.#notes.delete(spec.config.name)
    }
    let result: AttemptResult
    for (;;) {
      const instance = await this.#acquire(spec)
      try {
        result = await instance.invoke({
          requestId: request.requestId,
          event: request.event,
          context: this.#context(spec),
          onLog: (text, truncated) => recorder.user(text, truncated),
          onDropped: (lines) => recorder.dropped(lines)
        })
        break
      } catch (error) {
        if (!(error instanceof NotStartedError)) throw error
        // queued behind an invocation that took its instance down: run it on another one
      } finally {
        this.#release(instance)
      }
    }
    recorder.finish(result, spec.config.memory)
    // one shape for every outcome, no spread (see AttemptResult in function-instance.ts)
    return {
      outcome: result.outcome,
      valueJson: result.valueJson,
      error: result.error,
      durationMs: result.durationMs,
      memUsageBytes: result.memUsageBytes,
      cold: result.cold,
      lines: recorder.lines,
      logTruncated: recorder.truncated,
      message: result.outcome === 'succeeded' ? (result.valueJson ?? 'null') : errorResult(result)
    }
  }

  /** Stop reusing the instances of a function (its code or config changed, or it was deleted). */
  retire(functionName: string): void {
    this.#planSpare(SPARE_DELAY_MS) // (also called when a function is created or deleted)
    for (const [instance, slot] of this.#slots) {
      if (instance.functionName !== functionName) continue
      slot.key = `retired:${slot.key}`
      if (slot.users === 0) void instance.kill()
    }
  }

  /**
   * Debug mode for a function (undefined turns it off): its new instances listen for a
   * debugger there and have no timeout. Warm instances are recycled.
   */
  setDebug(functionName: string, debug: { host: string; port: number } | undefined): void {
    if (debug) this.#debug.set(functionName, debug)
    else this.#debug.delete(functionName)
    this.retire(functionName)
  }

  /** The Python executable functions run with. */
  get pythonCommand(): string {
    return this.#options.pythonCommand ?? defaultPython()
  }

  debugOf(functionName: string): { host: string; port: number } | undefined {
    return this.#debug.get(functionName)
  }

  /** Start an instance now and keep it warm (so a debugger can attach before an invocation). */
  async warm(spec: RunSpec): Promise<{ ok: boolean; pid?: number }> {
    const instance = await this.#acquire(spec)
    const ok = await instance.whenReady()
    const pid = instance.pid
    this.#release(instance)
    return { ok, pid }
  }

  /** A line for the run log of the function's next invocation (e.g. "code reloaded"). */
  note(functionName: string, text: string): void {
    const notes = this.#notes.get(functionName) ?? []
    if (notes.length < 20) notes.push(text)
    this.#notes.set(functionName, notes)
  }

  /** Live instances of one function (warm and busy). */
  instancesOf(functionName: string): { warm: number; busy: number } {
    let warm = 0
    let busy = 0
    for (const [instance, slot] of this.#slots) {
      if (instance.functionName !== functionName || slot.key.startsWith('retired:')) continue
      if (slot.users > 0) busy++
      else warm++
    }
    return { warm, busy }
  }

  /** The spare processes started and waiting (see spare-runtime.ts). */
  sparesWaiting(): { runtime: Runtime; pid: number | undefined }[] {
    return [...this.#spares]
      .filter(([, spare]) => spare.available)
      .map(([runtime, spare]) => ({ runtime, pid: spare.pid }))
  }

  stats(): { instances: number; busy: number; waiting: number } {
    let busy = 0
    for (const slot of this.#slots.values()) if (slot.users > 0) busy++
    return { instances: this.#slots.size, busy, waiting: this.#waiters.length }
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#spareTimer)
    for (const spare of this.#spares.values()) spare.discard()
    this.#spares.clear()
    const exits: Promise<void>[] = []
    for (const instance of this.#slots.keys()) {
      exits.push(new Promise<void>((resolve) => instance.onExit(resolve)))
      exits.push(instance.kill())
    }
    for (const wake of this.#waiters.splice(0)) wake()
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 2000))])
  }

  async #acquire(spec: RunSpec): Promise<FunctionInstance> {
    const debug = this.#debug.get(spec.config.name)
    const key = `${spec.config.name}@${spec.revision}${debug ? `#debug:${debug.port}` : ''}`
    for (;;) {
      if (this.#stopped) throw new Error('the function runner is stopped')
      // A short function's invocations stay on as many instances as there are cores (more
      // processes only take turns on them, each woken for its own message).
      // (also while the instance cannot take it at once: a periodic /proc check, a sweep)
      const behind = this.#shortQueue(key)
      if (behind === 'full') {
        await new Promise<void>((resolve) => this.#waiters.push(resolve))
        continue
      }
      if (behind) {
        behind.slot.users++
        return behind.instance
      }
      for (const [instance, slot] of this.#slots) {
        if (slot.key === key && slot.users === 0 && instance.state === 'idle') {
          slot.users = 1
          if (slot.idleTimer) clearTimeout(slot.idleTimer)
          return instance
        }
      }
      if (this.#slots.size >= this.#options.maxInstances) this.#evictIdle()
      if (this.#slots.size < this.#options.maxInstances) return this.#spawn(spec, key)
      const atCap = this.#leastQueued(key, (instance) => instance.canQueue)
      if (atCap) {
        atCap.slot.users++
        return atCap.instance
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
  }

  /** The busy instance of `key` with the fewest invocations queued that `takes` one more. */
  #leastQueued(
    key: string,
    takes: (instance: FunctionInstance) => boolean
  ): { instance: FunctionInstance; slot: Slot } | undefined {
    let best: { instance: FunctionInstance; slot: Slot } | undefined
    for (const [instance, slot] of this.#slots) {
      if (slot.key !== key || slot.users === 0 || slot.users > MAX_QUEUED || !takes(instance)) continue
      if (!best || slot.users < best.slot.users) best = { instance, slot }
    }
    return best
  }

  /**
   * The busy instance the next invocation of a short function should wait behind, rather
   * than take an idle one or start a process: when the instances already busy fill the cores,
   * another process only takes turns with them (and a new one costs a cold start), while the
   * wait behind a short function's instance is a few ms. Its invocations still run one at a
   * time, each with its own RequestId, timeout and run log.
   *
   * They fill the instances in a fixed order (the oldest with room first), not the least
   * queued, and when one holds `MAX_QUEUED` (a backlog of a function far shorter than
   * `QUEUE_WAIT_MS / MAX_QUEUED`) while as many of its instances as there are cores are busy,
   * the invocation waits for room ('full') instead of waking another instance: spread over
   * every instance a burst once started, each process was woken for an invocation or two at a
   * time and ran its code unoptimized (the function processes' CPU per event of a no-op
   * function at 2 instances was less than half that at 8).
   *
   * While every core is taken (`coresTaken`), a known-short function whose instances in use
   * fill the cores also waits instead of starting another process, however long its queue
   * looks: its handlers' wall time then holds their wait for a core (a no-op's 0.1 ms read as
   * 0.6–2.4 ms, or 16–72 ms for a new instance's first calls, in the events bench's bursts),
   * which a new process would share, and its start costs 70–100 ms of CPU taken from the
   * burst. Those spills cascaded: each new instance, not yet a place to queue, let the next
   * invocation start one more (4–6 processes in 3 of 3 runs' first bursts). With a core free,
   * the queue's length decides as before (a function that waits on I/O still spreads).
   */
  #shortQueue(key: string): { instance: FunctionInstance; slot: Slot } | 'full' | undefined {
    let busy = 0
    for (const slot of this.#slots.values()) if (slot.users > 0) busy++
    if (busy < this.#cores) return undefined
    // ('full' only while the function's own instances in use fill the cores, those handed an
    // invocation a moment ago and not yet busy included: beside another function's busy
    // instance it may still take a second core)
    let own = 0
    let full = false
    let short = false
    let taken: boolean | undefined // read once, and only when a decision needs it
    const coresAreTaken = (): boolean => (taken ??= coresTaken(this.#cores, this.#handed(key)))
    for (const [instance, slot] of this.#slots) {
      if (slot.key !== key || slot.users === 0) continue
      own++
      const average = instance.averageMs
      if (average === undefined || average >= SHORT_MS) continue
      short = true
      if (!instance.takesQueued) continue
      if (slot.users * average >= QUEUE_WAIT_MS && !coresAreTaken()) continue
      if (slot.users <= MAX_QUEUED) return { instance, slot }
      full = true
    }
    if (own < this.#cores) return undefined
    return full || (short && coresAreTaken()) ? 'full' : undefined
  }

  /** The function's instances handed an invocation and not running it yet: about to take a core. */
  #handed(key: string): number {
    let handed = 0
    for (const [instance, slot] of this.#slots)
      if (slot.key === key && slot.users > 0 && instance.state !== 'busy') handed++
    return handed
  }

  #spawn(spec: RunSpec, key: string): FunctionInstance {
    const env = this.#env(spec.config)
    const debug = this.#debug.get(spec.config.name)
    const { runtime, memory } = spec.config
    let spare: SpareRuntime | undefined = this.#spares.get(runtime)
    if (!debug && spare?.fits(runtime, memory, this.#command(runtime), env)) {
      this.#spares.delete(runtime)
      this.#planSpare(SPARE_DELAY_MS)
    } else spare = undefined
    const instance = new FunctionInstance({
      config: spec.config,
      codeDir: spec.codeDir,
      env,
      logLimitBytes: this.#options.logLimitBytes,
      pythonCommand: this.#options.pythonCommand,
      nodeCommand: this.#options.nodeCommand,
      maxProcesses: this.#options.maxProcesses,
      debug,
      spare
    })
    this.#slots.set(instance, { key, users: 1 })
    instance.onExit(() => {
      const slot = this.#slots.get(instance)
      if (slot?.idleTimer) clearTimeout(slot.idleTimer)
      this.#slots.delete(instance)
      this.#wake()
    })
    return instance
  }

  #evictIdle(): void {
    let oldest: FunctionInstance | undefined
    for (const [instance, slot] of this.#slots) {
      if (slot.users > 0 || instance.state !== 'idle') continue
      if (!oldest || instance.lastUsedAt < oldest.lastUsedAt) oldest = instance
    }
    if (!oldest) return
    this.#slots.delete(oldest)
    void oldest.kill()
  }

  #release(instance: FunctionInstance): void {
    const slot = this.#slots.get(instance)
    if (!slot) return
    slot.users = Math.max(0, slot.users - 1)
    if (slot.users > 0) {
      // the queued invocation runs now: the queue has room again
      this.#wake()
      return
    }
    if (instance.state !== 'idle' || slot.key.startsWith('retired:') || this.#stopped) {
      void instance.kill()
      if (instance.state !== 'idle') return // onExit frees the slot
      this.#slots.delete(instance)
    } else {
      slot.idleTimer = setTimeout(() => {
        if (slot.users === 0) {
          this.#slots.delete(instance)
          void instance.kill()
        }
      }, this.#options.idleMs)
      slot.idleTimer.unref?.()
    }
    this.#wake()
  }

  #wake(): void {
    const next = this.#waiters.shift()
    next?.()
  }

  /** The executable a runtime's processes start with. */
  #command(runtime: Runtime): string {
    return runtime === 'nodejs' ? (this.#options.nodeCommand ?? process.execPath) : this.pythonCommand
  }

  /** (Re)consider the spare runtimes in `ms`. */
  #planSpare(ms: number): void {
    if (!this.#options.spares || this.#stopped) return
    clearTimeout(this.#spareTimer)
    this.#spareTimer = setTimeout(() => this.#keepSpares(), ms)
    this.#spareTimer.unref?.()
  }

  /** The spares asked for, started while no invocation runs (their start takes CPU). */
  #keepSpares(): void {
    this.#spareTimer = undefined
    if (this.#stopped || !this.#options.spares) return
    const wants = this.#options.spares()
    const wanted: [Runtime, number | undefined][] = []
    if (wants.nodeMemory !== undefined) wanted.push(['nodejs', wants.nodeMemory])
    if (wants.python) wanted.push(['python3', undefined])
    for (const [runtime, spare] of this.#spares) {
      const keep = wanted.find(([want]) => want === runtime)
      if (keep && spare.available && spare.memory === keep[1] && spare.command === this.#command(runtime)) continue
      spare.discard()
      this.#spares.delete(runtime)
    }
    const missing = wanted.filter(([runtime]) => !this.#spares.has(runtime))
    if (missing.length === 0) return
    if (this.stats().busy > 0 && this.#spareRetries < SPARE_MAX_RETRIES) {
      this.#spareRetries++
      this.#planSpare(SPARE_RETRY_MS)
      return
    }
    this.#spareRetries = 0
    for (const [runtime, memory] of missing) {
      const env = { ...this.#commonEnv(), SCF_LOG_LIMIT: String(this.#options.logLimitBytes) }
      const spare = new SpareRuntime({ runtime, command: this.#command(runtime), memory, env })
      this.#spares.set(runtime, spare)
    }
  }

  /**
   * What every function's environment has before its own settings (a spare starts with it,
   * see #keepSpares); a function's own SCF_* variables come first, so the base environment
   * can still override them.
   */
  #commonEnv(): Record<string, string> {
    return {
      ...passedEnv(),
      TENCENTCLOUD_REGION: this.#options.region,
      TENCENTCLOUD_APPID: this.#options.appid,
      TENCENTCLOUD_RUNENV: 'SCF',
      ...this.#options.baseEnv
    }
  }

  #env(config: FunctionConfig): Record<string, string> {
    return {
      SCF_RUNTIME: config.runtime === 'nodejs' ? 'Nodejs' : 'Python3',
      SCF_FUNCTIONNAME: config.name,
      SCF_FUNCTIONVERSION: '$LATEST',
      SCF_NAMESPACE: config.namespace,
      SCF_MEMORY_SIZE: String(config.memory),
      SCF_TIMEOUT: String(config.timeout),
      ...this.#commonEnv(),
      ...config.env
    }
  }

  #context(spec: RunSpec): Record<string, unknown> {
    const key = `${spec.config.name}@${spec.revision}`
    let context = this.#contexts.get(key)
    if (!context) {
      if (this.#contexts.size >= 1000) this.#contexts.clear()
      context = this.#buildContext(spec.config)
      this.#contexts.set(key, context)
    }
    return context
  }

  #buildContext(config: FunctionConfig): Record<string, unknown> {
    const visible = { SCF_NAMESPACE: config.namespace, ...config.env }
    return {
      memory_limit_in_mb: config.memory,
      time_limit_in_ms: config.timeout * 1000,
      request_id: '', // set per invocation (the key keeps its place)
      environment: JSON.stringify(visible),
      environ: Object.entries(visible)
        .map(([key, value]) => `${key}=${value}`)
        .join(';'),
      function_version: '$LATEST',
      function_name: config.name,
      namespace: config.namespace,
      tencentcloud_region: this.#options.region,
      tencentcloud_appid: this.#options.appid,
      tencentcloud_uin: this.#options.appid
    }
  }
}
