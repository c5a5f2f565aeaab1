/**
 * One warm instance of a function: a child process running the runtime's bootstrap,
 * serving one invocation at a time. It enforces the timeout (kills the process tree),
 * the memory limit (RSS sampling; Node's heap also capped with --max-old-space-size)
 * and turns every way a process can fail into an attempt outcome.
 *
 * Containment: the process runs at a lower CPU priority (nice) than COS Local, so a
 * function that spins or forks cannot starve the COS API; every process it starts is killed
 * when the invocation ends (the instance itself stays warm), and all of them when the
 * instance is recycled; more than `maxProcesses` at once (a fork bomb) kills the instance
 * with a ProcessLimitExceeded error; output past the log limit is counted, not parsed.
 */
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { StringDecoder } from 'node:string_decoder'
import type { FunctionConfig } from '../core/functions/function-config.ts'
import type { AttemptOutcome } from '../core/functions/retry-policy.ts'
import { ipcChannel, pipeChannel, type ChildChannel, type ChildMessage, type InvokeMessage } from './child-channel.ts'
import {
  exceedsProcessLimit,
  hasChildren,
  INSTANCE_MARKER_ENV,
  killInstanceMembers,
  killTree,
  residentBytes,
  systemTaskCount,
  systemTasks,
  type SystemTasks
} from './process-tree.ts'
import type { SpareRuntime } from './spare-runtime.ts'
import { createInvocationWatch } from './invocation-watch.ts'
import { defaultPython, RUNTIME_ENV, startRuntimeProcess } from './runtime-process.ts'

const SAMPLE_MS = 50
const STDERR_TAIL = 4096
const DEFAULT_MAX_PROCESSES = 64
/** How often the system's task count is read (one small /proc read) to catch a fork bomb early. */
const TASK_WATCH_MS = 10
/** The running invocations' watch: the task count each tick, memory every SAMPLE_MS. */
const WATCH = createInvocationWatch(TASK_WATCH_MS, SAMPLE_MS / TASK_WATCH_MS, systemTaskCount)
/** At most this long between two /proc checks of an instance that reports starting no processes. */
const FULL_CHECK_MS = 1000
/** How long a new instance may take to start before its first invocation gives up (see #arm). */
const START_LIMIT_MS = 30_000
/** Weight of the newest invocation in `averageMs`. */
const AVERAGE_WEIGHT = 0.2
/**
 * One invocation counts in `averageMs` for at most this many times the average (+ 1 ms): on a
 * busy machine a niced process is preempted mid-handler now and then (one 20 ms sample of a
 * 0.1 ms handler), which made a short function look long for the next dozen invocations and
 * spread its backlog over idle instances. A function that really slowed down gets there in a
 * few invocations.
 */
const AVERAGE_JUMP = 4

export interface InstanceSpec {
  config: FunctionConfig
  codeDir: string
  /** The whole environment of the child process. */
  env: Record<string, string>
  logLimitBytes: number
  pythonCommand?: string
  /** Executable for the Node bootstrap (default process.execPath, run as Node in Electron). */
  nodeCommand?: string
  /** Processes the function may have running at once besides its own (default 64). */
  maxProcesses?: number
  /** Debug mode: Node --inspect / Python debugpy listening here; no timeout. */
  debug?: { host: string; port: number }
  /** A runtime process started ahead of need with this instance's flags (see spare-runtime.ts): it is given this instance's settings instead of a new process. */
  spare?: SpareRuntime
}

export interface AttemptRequest {
  requestId: string
  event: unknown
  /**
   * The SCF context; its request_id is set to `requestId`. Pass the same object for every
   * invocation of a function revision: the Node runtime is sent it only when it changes.
   */
  context: Record<string, unknown>
  /** One user log entry (a console call or an output line); `truncated` marks the child's cut-off notice. */
  onLog(text: string, truncated?: boolean): void
  /** Output lines dropped past the log limit without being handed to onLog. */
  onDropped?(lines: number): void
}

export interface FunctionError {
  errorType: string
  errorMessage: string
  stackTrace: string
}

export interface AttemptResult {
  outcome: AttemptOutcome
  /** JSON text of the handler's return value (absent when it returned nothing). */
  valueJson?: string
  error?: FunctionError
  durationMs: number
  memUsageBytes: number
  /** Whether this attempt started the process. */
  cold: boolean
}

interface Running {
  request: AttemptRequest
  startedAt: number
  /** performance.now() at the start (for `averageMs`; startedAt is whole ms). */
  startedPerf: number
  peakRss: number
  /** Absent in debug mode (a debugger may hold the function at a breakpoint). */
  timer?: ReturnType<typeof setTimeout>
  /** Ends its memory sampling and fork-bomb watch (see invocation-watch.ts). */
  unwatch?: () => void
  cold: boolean
  resolve(result: AttemptResult): void
  overMemory?: boolean
  /** System-wide task count when the attempt started (a fork bomb shows as growth). */
  tasksAtStart?: number
  /** Processes the runtime reported starting since its previous result (undefined: it cannot tell). */
  spawned?: number
  /** A process-limit scan is under way. */
  scanning?: boolean
  /** Bytes of raw stdout/stderr read during the attempt. */
  outputBytes: number
}

export type InstanceState = 'starting' | 'idle' | 'busy' | 'dead'

interface Queued {
  request: AttemptRequest
  resolve(result: AttemptResult): void
  reject(error: Error): void
  /** Sent to the runtime already (else it is sent when it becomes the current one). */
  sent: boolean
}

/** A queued invocation that never started because its instance went away first. */
export class NotStartedError extends Error {
  constructor(functionName: string) {
    super(`the instance of ${functionName} stopped before the queued invocation started`)
    this.name = 'NotStartedError'
  }
}

export class FunctionInstance {
  readonly functionName: string
  readonly spec: InstanceSpec
  state: InstanceState = 'starting'
  lastUsedAt = Date.now()
  #child: ChildProcess
  #channel: ChildChannel
  #ready: Promise<boolean>
  /** The runtime said hello (#ready resolved true). */
  #helloed = false
  #baselineRss = 0
  #current: Running | undefined
  #used = false
  #stderrTail = ''
  #orphanLogs: string[] = []
  #exitListeners: (() => void)[] = []
  #exited = false
  #spawnError: Error | undefined
  readonly #marker: string
  /** The system's tasks at the last containment check (or the first invocation's start). */
  #checkedThrough: SystemTasks | undefined
  /** When the last containment check ran (Date.now()). */
  #checkedAt = 0
  /** Processes the runtime reported for the last finished invocation. */
  #lastSpawned: number | undefined
  /** Invocations queued behind the running one (see canQueue), oldest first. */
  #queue: Queued[] = []
  /** Invoke messages to go out together once the current tick's deliveries are all queued. */
  #outbox: AttemptRequest[] = []
  /** The context last sent to the Node runtime (it reuses it for invocations sent without one). */
  #sentContext: Record<string, unknown> | undefined
  /** Whether the runtime takes invocations queued behind the running one. */
  readonly #pipelines: boolean
  /**
   * Smoothed wall time (ms) of the instance's recent invocations (the handler's own, as its
   * runtime measured it, when it reports one); undefined before the first ends.
   */
  averageMs: number | undefined

  constructor(spec: InstanceSpec) {
    this.spec = spec
    this.functionName = spec.config.name
    this.#pipelines = spec.config.runtime === 'nodejs' && !spec.debug
    this.#marker = spec.spare?.marker ?? randomUUID()
    const env = {
      ...spec.env,
      [INSTANCE_MARKER_ENV]: this.#marker,
      SCF_CODE_DIR: spec.codeDir,
      SCF_HANDLER: spec.config.handler,
      SCF_LOG_LIMIT: String(spec.logLimitBytes)
    }
    const runtime = spec.config.runtime
    this.#child = spec.spare
      ? spec.spare.adopt({ ...env, ...RUNTIME_ENV[runtime] }, spec.codeDir)
      : startRuntimeProcess({
          runtime,
          command:
            runtime === 'nodejs' ? (spec.nodeCommand ?? process.execPath) : (spec.pythonCommand ?? defaultPython()),
          memory: spec.config.memory,
          env,
          cwd: spec.codeDir,
          debug: spec.debug
        })
    this.#channel = runtime === 'nodejs' ? ipcChannel(this.#child) : pipeChannel(this.#child)
    this.#ready = new Promise<boolean>((resolve) => {
      this.#channel.onMessage((message) => {
        if (message.type === 'hello') {
          this.#baselineRss = message.rss
          if (this.state === 'starting') this.state = 'idle'
          this.#helloed = true
          resolve(true)
        } else this.#onMessage(message)
      })
      this.#child.once('exit', () => resolve(false))
      this.#child.once('error', () => resolve(false))
    })
    this.#readOutput('stdout')
    this.#readOutput('stderr')
    this.#child.on('error', (error) => {
      // A process that could not start (e.g. python3 missing) emits 'error' and no 'exit'.
      if (this.#child.pid === undefined && !this.#exited) {
        this.#spawnError = error
        this.#onExit(null, null)
      }
    })
    // 'close' comes after the output streams are drained; don't wait forever for it when a
    // grandchild keeps them open.
    this.#child.once('exit', (code, signal) => {
      this.state = 'dead'
      let done = false
      const finish = (): void => {
        if (done) return
        done = true
        this.#onExit(code, signal)
      }
      this.#child.once('close', finish)
      setTimeout(finish, 200)
    })
  }

  /** Resolves once the runtime said hello (true) or the process died first (false). */
  whenReady(): Promise<boolean> {
    return this.#ready
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  onExit(listener: () => void): void {
    this.#exitListeners.push(listener)
  }

  /**
   * Whether `invoke` may be called now although an invocation is running: it is sent ahead
   * and the runtime starts it the moment the ones before it returned (one at a time still;
   * it only saves the round trips, and the invocations queued in one turn go out in one
   * message). Node instances only (their runtime counts the processes it starts and holds
   * the next invocation until COS Local has swept after one that started some), not in debug
   * mode, not while a periodic /proc check is due. How many may wait is the caller's call.
   */
  get canQueue(): boolean {
    return this.takesQueued && this.#sendsAhead()
  }

  /**
   * Whether an invocation may be queued behind the running one at all: with canQueue it goes
   * to the runtime at once, otherwise it is sent once the ones before it are done (and swept).
   */
  get takesQueued(): boolean {
    return this.state === 'busy' && this.#pipelines
  }

  /** Whether an invocation queued now can go to the runtime at once (else when the running one is done). */
  #sendsAhead(): boolean {
    return this.#current !== undefined && this.#lastSpawned === 0 && Date.now() - this.#checkedAt < FULL_CHECK_MS
  }

  /**
   * Run one invocation (or, when busy and `canQueue`, queue it right behind the running one).
   * Once `canQueue` said yes, the caller may invoke in a later microtask even if it has
   * changed meanwhile: the invocation then waits here for the running one (and its sweep).
   * Rejects with NotStartedError when the invocation never started because the instance
   * died first: it can run elsewhere.
   */
  invoke(request: AttemptRequest): Promise<AttemptResult> {
    if (this.state === 'dead') return Promise.reject(new NotStartedError(this.functionName))
    if (this.state === 'busy' && this.#pipelines) return this.#enqueue(request)
    if (this.state === 'busy') throw new Error(`instance of ${this.functionName} is busy`)
    this.state = 'busy'
    const cold = !this.#used
    this.#used = true
    this.#checkedThrough ??= systemTasks()
    const ready = this.#helloed
    // An adopted spare (spare-runtime.ts) gets it right behind its setup: it runs it as soon as
    // it has said hello, without waiting for a turn of COS Local in between.
    const early = !ready && this.spec.spare !== undefined && this.#outbox.length === 0
    return new Promise<AttemptResult>((resolve) => {
      if (ready && this.#outbox.length === 0) {
        // A warm idle instance gets it first, its bookkeeping after (the timeout timer, the
        // task-count baseline's /proc read, the watch): the handler's start waits on this write,
        // and nothing the runtime sends back is read before this turn ends.
        this.#channel.send([this.#message(request)])
        this.#watch(this.#begin(request, resolve, cold))
        return
      }
      const running = this.#begin(request, resolve, cold)
      const start = (ok: boolean): void => {
        if (this.#current !== running) return
        if (!ok) return // the exit handler finishes the attempt
        if (!ready) this.#arm(running, true) // its timeout starts now, not at the spawn
        this.#watch(running)
        if (early) return
        // nothing to batch it with (invocations queued behind it follow in a message of their own)
        if (this.#outbox.length === 0) this.#channel.send([this.#message(request)])
        else this.#send(request)
      }
      if (early) this.#channel.send([this.#message(request)])
      // a warm instance gets it now: a turn later it would go out after the COS response that
      // the commit of its delivery released, and the handler start with it
      if (ready) start(true)
      else void this.#ready.then(start)
    })
  }

  #enqueue(request: AttemptRequest): Promise<AttemptResult> {
    return new Promise<AttemptResult>((resolve, reject) => {
      // the runtime runs what it gets in order: nothing overtakes one held back
      const sent = this.#sendsAhead() && this.#queue.every((queued) => queued.sent)
      this.#queue.push({ request, resolve, reject, sent })
      if (sent) this.#send(request)
    })
  }

  /** Sends go out once the deliveries of the current turn are all queued: one message for several. */
  #send(request: AttemptRequest): void {
    this.#outbox.push(request)
    if (this.#outbox.length === 1) process.nextTick(() => this.#flush())
  }

  #flush(): void {
    const requests = this.#outbox
    this.#outbox = []
    this.#channel.send(requests.map((request) => this.#message(request)))
  }

  #message(request: AttemptRequest): InvokeMessage {
    const message: InvokeMessage = {
      type: 'invoke',
      id: request.requestId,
      event: request.event,
      timeoutMs: this.spec.config.timeout * 1000
    }
    if (this.spec.config.runtime !== 'nodejs') {
      message.context = { ...request.context, request_id: request.requestId }
    } else if (request.context !== this.#sentContext) {
      // the Node runtime keeps the last context it was sent: the same one is not sent again
      message.context = request.context
      this.#sentContext = request.context
    }
    return message
  }

  /** The invocation becomes the current one: its clock, timeout and log routing start. */
  #begin(request: AttemptRequest, resolve: (result: AttemptResult) => void, cold: boolean): Running {
    const startedPerf = performance.now()
    const running: Running = {
      request,
      startedAt: Date.now(),
      startedPerf,
      cold,
      peakRss: 0,
      outputBytes: 0,
      tasksAtStart: taskBaseline(startedPerf),
      resolve
    }
    this.#arm(running, this.#helloed)
    this.#current = running
    if (this.#orphanLogs.length > 0) for (const text of this.#orphanLogs.splice(0)) request.onLog(text)
    return running
  }

  /**
   * The invocation's timeout runs from when the runtime can take it (`ready`): the start of
   * the process is not the function's time (SCF counts initialization apart). On a loaded
   * machine a cold start took 2-3.5 s (the process runs at low priority), which the default
   * 3 s timeout used to swallow: the handler never started and the retry came a minute later.
   * Until then a generous start limit applies.
   */
  #arm(running: Running, ready: boolean): void {
    if (this.spec.debug) return
    clearTimeout(running.timer)
    running.timer = setTimeout(
      () => {
        // (built when it happens, not for every invocation)
        const error: FunctionError = {
          errorType: 'TimeoutError',
          errorMessage: ready
            ? `Invoking task timed out after ${this.spec.config.timeout} seconds`
            : `The function's runtime did not start within ${START_LIMIT_MS / 1000} seconds`,
          stackTrace: ''
        }
        this.#finish('timeout', { error })
        void this.kill()
      },
      ready ? this.spec.config.timeout * 1000 : START_LIMIT_MS
    )
  }

  /** Memory sampling and the fork-bomb watch while the invocation runs (one ticker for all instances). */
  #watch(running: Running): void {
    running.unwatch = WATCH.add((tick) => {
      // as with a sampler of its own, an invocation shorter than SAMPLE_MS is not sampled
      if (tick.sample && tick.at - running.startedPerf >= SAMPLE_MS) this.#sample(running)
      if (this.#child.pid !== undefined) this.#checkProcessLimit(running, this.#child.pid, tick.tasks)
    })
  }

  /**
   * The queued invocation is the current one now: the runtime started it when the previous one
   * returned (or after the sweep), or it is sent now.
   */
  #promote(): void {
    const queued = this.#queue[0]
    if (!queued || this.state !== 'busy') return
    this.#queue.shift()
    this.#watch(this.#begin(queued.request, queued.resolve, false))
    if (!queued.sent) this.#send(queued.request)
    // Those queued while the runtime could not take them go ahead now too (in order, one message).
    if (!this.#sendsAhead()) return
    for (const next of this.#queue) {
      if (next.sent) continue
      next.sent = true
      this.#send(next.request)
    }
  }

  /** The queued invocations will not run here (the instance is going away). */
  #dropQueued(): void {
    const queue = this.#queue
    this.#queue = []
    for (const queued of queue) queued.reject(new NotStartedError(this.functionName))
  }

  /** Kill the instance and everything it started; resolves once the sweep for escaped processes is done. */
  kill(): Promise<void> {
    return killTree(this.#child, this.#marker)
  }

  #sample(running: Running): void {
    const pid = this.#child.pid
    if (pid === undefined) return
    const rss = residentBytes(pid)
    if (rss === undefined) return
    running.peakRss = Math.max(running.peakRss, rss)
    const limit = this.#baselineRss + this.spec.config.memory * 1024 * 1024
    if (rss > limit && !running.overMemory) {
      running.overMemory = true
      this.#finish('out-of-memory', { error: this.#memoryError(rss) })
      void this.kill()
    }
  }

  /**
   * A cheap system-wide task count each tick; only when it has grown by more than the limit
   * is the instance frozen (its process group stopped, so a fork bomb cannot outrun the
   * count) and its processes counted. Over the limit: the instance and all it started die.
   */
  #checkProcessLimit(running: Running, pid: number, tasks: number | undefined): void {
    const limit = this.spec.maxProcesses ?? DEFAULT_MAX_PROCESSES
    if (running.scanning || tasks === undefined || running.tasksAtStart === undefined) return
    if (tasks - running.tasksAtStart <= limit) return
    running.scanning = true
    const group = (name: NodeJS.Signals): void => {
      try {
        process.kill(-pid, name)
      } catch {
        // group gone
      }
    }
    group('SIGSTOP')
    void exceedsProcessLimit(pid, limit).then((found) => {
      if (this.#current !== running) return
      if (found !== undefined) {
        this.#finish('crashed', {
          error: {
            errorType: 'ProcessLimitExceeded',
            errorMessage:
              `The function started more than ${limit} processes at once (a fork bomb?). ` +
              'COS Local killed the instance and every process it started.',
            stackTrace: ''
          }
        })
        void this.kill()
        return
      }
      group('SIGCONT')
      running.tasksAtStart = systemTaskCount() ?? tasks // the growth was elsewhere on the system
      running.scanning = false
    })
  }

  #memoryError(rss?: number): FunctionError {
    const used = rss ? ` (resident ${(rss / 1048576).toFixed(1)} MB)` : ''
    return {
      errorType: 'MemoryLimitExceeded',
      errorMessage: `Memory limit exceeded: the function may use ${this.spec.config.memory} MB${used}`,
      stackTrace: ''
    }
  }

  #onMessage(message: ChildMessage): void {
    if (message.type === 'log') {
      if (this.#current) this.#current.request.onLog(message.text, message.truncated)
      else if (this.#orphanLogs.length < 100) this.#orphanLogs.push(message.text)
      return
    }
    if (message.type === 'logs') {
      for (const text of message.texts) {
        if (this.#current) this.#current.request.onLog(text)
        else if (this.#orphanLogs.length < 100) this.#orphanLogs.push(text)
      }
      return
    }
    if (message.type !== 'result' || !this.#current || message.id !== this.#current.request.requestId) return
    if (message.rss) this.#current.peakRss = Math.max(this.#current.peakRss, message.rss)
    if (message.dropped) this.#current.request.onDropped?.(message.dropped)
    this.#current.spawned = message.spawned
    if (message.ok) {
      this.#finish('succeeded', { valueJson: message.valueJson ?? undefined }, message.ms)
    } else {
      const error = message.error ?? { errorType: 'Error', errorMessage: 'unknown error', stackTrace: '' }
      this.#finish(error.errorType === 'MemoryError' ? 'out-of-memory' : 'error', { error }, message.ms)
    }
    if (message.fatal) this.state = 'dead'
  }

  /**
   * `handlerMs`: the handler's wall time as its runtime measured it. The time seen from here
   * also holds the IPC and, on a busy server, the wait for this event loop to read the result
   * (several ms per invocation at a burst's peak, which made a no-op function look "long" and
   * spread its invocations over every instance the cap allows).
   */
  #finish(outcome: AttemptOutcome, detail: { valueJson?: string; error?: FunctionError }, handlerMs?: number): void {
    const running = this.#current
    if (!running) return
    this.#current = undefined
    clearTimeout(running.timer)
    // (the next queued invocation's watch is added before this one's goes, where it starts at
    // once: the shared ticker keeps running instead of being stopped and started again)
    const unwatch = running.unwatch
    this.lastUsedAt = Date.now()
    const ms = handlerMs ?? performance.now() - running.startedPerf
    const average = this.averageMs
    this.averageMs =
      average === undefined ? ms : average + (Math.min(ms, average * AVERAGE_JUMP + 1) - average) * AVERAGE_WEIGHT
    // property by property, one shape for every outcome (a spread of `detail` followed by more
    // properties built a new hidden class per call in Node 20)
    const result: AttemptResult = {
      outcome,
      valueJson: detail.valueJson,
      error: detail.error,
      durationMs: Date.now() - running.startedAt,
      memUsageBytes: running.peakRss || this.#baselineRss,
      cold: running.cold
    }
    const keep = this.state === 'busy' && (outcome === 'succeeded' || outcome === 'error')
    if (!keep) {
      unwatch?.()
      if (this.state === 'busy') this.state = 'dead'
      this.#dropQueued()
      running.resolve(result)
      return
    }
    this.#lastSpawned = running.spawned
    // The instance stays warm; what the invocation started does not.
    const pid = this.#child.pid
    const done = (): void => {
      if (this.#queue.length > 0) this.#promote()
      else if (this.state === 'busy') this.state = 'idle'
      running.resolve(result)
    }
    // The Node runtime counts the processes it starts (child_process); when it started none,
    // the /proc check is skipped, except once a second per instance, which catches what the
    // count cannot see (a native addon's fork, a worker thread's child_process). A queued
    // invocation is already running then (the runtime only holds it after one that started processes).
    if (
      pid === undefined ||
      process.platform !== 'linux' ||
      (running.spawned === 0 && (this.#queue[0]?.sent === true || Date.now() - this.#checkedAt < FULL_CHECK_MS))
    ) {
      done()
      unwatch?.()
      return
    }
    unwatch?.()
    // After the check, a runtime that holds its next invocation (see canQueue) may go on.
    const checked = (now: SystemTasks | undefined): void => {
      this.#checkedThrough = now
      if (this.#pipelines && running.spawned !== 0) this.#channel.resume()
      done()
    }
    // The /proc scan runs only when the system's task count grew since the last check (or the
    // instance has live children), and reads only processes newer than it.
    const now = systemTasks()
    const before = this.#checkedThrough
    this.#checkedAt = Date.now()
    const nothingStarted = now !== undefined && now.lastPid === before?.lastPid
    // The system count can shrink meanwhile on a busy machine (others' processes exit): it is
    // trusted only when the runtime reports starting nothing (a periodic check), and live
    // children of the instance also call for the scan (an orphan is nobody's child any more).
    const grew =
      !nothingStarted &&
      (running.spawned !== 0 || now === undefined || before === undefined || now.tasks > before.tasks)
    if (!grew && !hasChildren(pid)) {
      checked(now)
      return
    }
    // Everything started since has a newer pid than the last one at the previous check (unless
    // the pid space wrapped meanwhile: then read the whole table).
    const since =
      now !== undefined && before !== undefined && now.lastPid >= before.lastPid ? before.lastPid : undefined
    void killInstanceMembers(pid, this.#marker, since)
      .catch(() => 0)
      .then(() => checked(now))
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#exited) return
    this.#exited = true
    this.state = 'dead'
    void killTree(this.#child, this.#marker) // orphans of a crashed instance keep its group and marker
    const running = this.#current
    if (running && this.#spawnError) {
      const command =
        this.spec.config.runtime === 'nodejs'
          ? (this.spec.nodeCommand ?? process.execPath)
          : (this.spec.pythonCommand ?? defaultPython())
      this.#finish('crashed', {
        error: {
          errorType: 'RuntimeUnavailable',
          errorMessage: `Cannot start the ${this.spec.config.runtime} runtime (${command}): ${this.#spawnError.message}`,
          stackTrace: ''
        }
      })
    } else if (running && !running.overMemory) {
      const oom = /heap out of memory|Reached heap limit|MemoryError|Cannot allocate memory/.test(this.#stderrTail)
      const how = signal ? `signal ${signal}` : `code ${code}`
      this.#finish(oom ? 'out-of-memory' : 'crashed', {
        error: oom
          ? this.#memoryError()
          : {
              errorType: 'ProcessExited',
              errorMessage: `The function's process exited with ${how} before returning`,
              stackTrace: this.#stderrTail.trim().slice(-1000)
            }
      })
    }
    this.#dropQueued()
    for (const listener of this.#exitListeners) listener()
  }

  #readOutput(name: 'stdout' | 'stderr'): void {
    const stream = this.#child[name]
    if (!stream) return
    let partial = ''
    const decoder = new StringDecoder('utf8')
    stream.on('data', (chunk: Buffer) => {
      const running = this.#current
      if (running) running.outputBytes += chunk.length
      if (running && running.outputBytes > this.spec.logLimitBytes * 2) {
        // A flood: past the log limit the lines are only counted (a native scan), not decoded.
        running.request.onDropped?.(countNewlines(chunk))
        if (name === 'stderr') this.#stderrTail = chunk.subarray(-STDERR_TAIL).toString('utf8')
        return
      }
      const text = decoder.write(chunk)
      if (name === 'stderr') this.#stderrTail = (this.#stderrTail + text).slice(-STDERR_TAIL)
      const lines = (partial + text).split('\n')
      partial = lines.pop() ?? ''
      if (partial.length > 64 * 1024) {
        lines.push(partial)
        partial = ''
      }
      for (const line of lines) {
        if (this.#current) this.#current.request.onLog(line)
        else if (this.#orphanLogs.length < 100) this.#orphanLogs.push(line)
      }
    })
  }
}

/** The last reading of the system's task count (see taskBaseline). */
const baseline = { tasks: undefined as number | undefined, at: -Infinity }
/** How old a reading of the system's task count may be as an invocation's baseline. */
const BASELINE_MS = 2

/**
 * The system's task count as the fork-bomb watch's baseline (`tasksAtStart`), read again unless
 * a reading is under BASELINE_MS old: a backlog's invocations start back to back, hundreds a
 * second, and each read of /proc/loadavg cost ≈ 4 µs of the server's main thread. The watch
 * counts growth from the baseline, so one a moment older only brings its check forward (or
 * back by the processes that ended elsewhere meanwhile), and a scan decides before a kill.
 */
function taskBaseline(now: number): number | undefined {
  if (now - baseline.at >= BASELINE_MS || baseline.tasks === undefined) {
    baseline.tasks = systemTasks()?.tasks
    baseline.at = now
  }
  return baseline.tasks
}

function countNewlines(chunk: Buffer): number {
  let count = 0
  for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) count++
  return count
}
