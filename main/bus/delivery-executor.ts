/**
 * Runs deliveries: each attempt is recorded (start, outcome, logs), failures are retried
 * on the clock by SCF's async policy, and the last failure leaves a dead-letter record.
 * After a restart, `recover()` picks up every unfinished delivery (at-least-once).
 *
 * The start and the end of attempts that happen within a few ms are recorded in one commit
 * (group commit): under a burst of events that is one transaction for many deliveries
 * instead of two for each, and while PUTs keep coming it is theirs (`recordInCommit`). An attempt still runs only after its start
 * is committed, and its outcome is announced only after it is committed. A new delivery's
 * first attempt is started by the dispatcher, in the very transaction that records the
 * delivery (`startsNow`, then `runStarted` after the commit): no second commit, no re-read.
 */
import type { Clock, ClockTimer } from '../core/clock.ts'
import { afterAttempt } from '../core/functions/invocation-state.ts'
import { injectedMessage, type FaultAction } from '../core/functions/fault-injection.ts'
import { endLine, errorLine, reportLine, startLine, userLine } from '../core/functions/run-log.ts'
import { createGroupCommit } from '../store/group-commit.ts'
import { coalescedCommit, type CoalescedCommit } from './coalesced-commit.ts'
import type { HistoryRow } from '../store/event-history.ts'
import { changedRecord } from '../store/invocation-records.ts'
import type { InvocationRecord, InvocationStore } from '../store/invocation-store.ts'
import type { FaultInjector } from './fault-injector.ts'
import type { FunctionInvoker, FunctionRun, FunctionTarget, RunLogLine } from './ports.ts'

/** Finished invocations per function between two retention passes (kept: keepPerFunction to + this). */
const PRUNE_EVERY = 100
/**
 * Attempt starts and ends recorded within this window share one commit (see coalesced-commit.ts).
 * Under a burst that is 10–20 attempt ends per commit: measured with the store's statements
 * alone, an attempt end cost ≈ 170 µs of CPU in commits of 2 and ≈ 110–140 µs in commits of 8–16
 * (the COMMIT, and the pages the ends share, written once). The outcome is announced that much
 * later; nothing else waits on it.
 */
const COMMIT_WINDOW_MS = 8
/** ... or as soon as this many wait. */
const COMMIT_MAX_UNITS = 64

export interface ExecutorOptions {
  store: InvocationStore
  functions: FunctionInvoker
  clock: Clock
  /**
   * Inside the commit of every status change: the event's history summary is brought up to
   * date in the same transaction (undefined for test invokes).
   */
  summarize?(invocation: InvocationRecord): HistoryRow | undefined
  /** Called after the commit of every status change, with what `summarize` returned. */
  onUpdate(invocation: InvocationRecord, history: HistoryRow | undefined): void
  onLine(invocation: { requestId: string; functionName: string }, line: RunLogLine): void
  /** Finished invocations kept per function. */
  keepPerFunction: number
  faults?: FaultInjector
}

export class DeliveryExecutor {
  readonly #options: ExecutorOptions
  readonly #inFlight = new Map<string, Promise<void>>()
  readonly #timers = new Map<string, ClockTimer>()
  readonly #finished = new Map<string, number>()
  readonly #commit: CoalescedCommit
  #stopped = false
  #paused = false
  /** Deliveries due while paused; started on resume. */
  readonly #held = new Set<string>()

  constructor(options: ExecutorOptions) {
    this.#options = options
    this.#commit = coalescedCommit(
      options.store.db,
      createGroupCommit(options.store.db, () => undefined),
      COMMIT_WINDOW_MS,
      COMMIT_MAX_UNITS
    )
  }

  /**
   * Inside a transaction about to commit (the storage's group commit): the attempt starts and
   * ends waiting for a commit are written there instead; returns what announces them after
   * that commit (see coalesced-commit.ts).
   */
  recordInCommit(): (() => void) | undefined {
    return this.#commit.ride()
  }

  /** Pause delivery: due attempts wait (recorded as pending) until resume(); test invokes still run. */
  pause(): void {
    this.#paused = true
  }

  resume(): void {
    this.#paused = false
    const held = [...this.#held]
    this.#held.clear()
    for (const requestId of held) this.dispatch(requestId)
  }

  get paused(): boolean {
    return this.#paused
  }

  get held(): number {
    return this.#held.size
  }

  /** Start the next attempt of a pending or retrying delivery, without waiting for it. */
  dispatch(requestId: string, force = false): void {
    if (this.#stopped || this.#inFlight.has(requestId)) return
    if (this.#paused && !force) {
      this.#held.add(requestId)
      return
    }
    const run = this.#attempt(requestId)
      .catch((error: unknown) => console.error(`[cos-local] delivery ${requestId} failed internally:`, error))
      .finally(() => this.#inFlight.delete(requestId))
    this.#inFlight.set(requestId, run)
  }

  /**
   * Whether a new delivery's first attempt may start in the transaction that records it (the
   * caller then inserts it with `startedAt` set and calls `runStarted` after the commit).
   */
  get startsNow(): boolean {
    return !this.#stopped && !this.#paused
  }

  /** Run a delivery whose first attempt was started (and committed) with the delivery itself. */
  runStarted(invocation: InvocationRecord, event: unknown): void {
    const requestId = invocation.requestId
    if (this.#stopped || this.#inFlight.has(requestId)) return
    const run = this.#run(invocation, event, undefined)
      .catch((error: unknown) => console.error(`[cos-local] delivery ${requestId} failed internally:`, error))
      .finally(() => this.#inFlight.delete(requestId))
    this.#inFlight.set(requestId, run)
  }

  /** Run one attempt now and wait for it (test invokes). */
  async runNow(requestId: string): Promise<void> {
    this.dispatch(requestId, true)
    await this.#inFlight.get(requestId)
  }

  /** Pick up what a previous run left unfinished. */
  recover(): number {
    const { store, clock } = this.#options
    const unfinished = store.unfinished()
    for (const invocation of unfinished) {
      if (invocation.status === 'running') {
        store.markInterrupted(invocation.requestId, clock.now())
        this.dispatch(invocation.requestId)
      } else if (invocation.status === 'retrying' && invocation.nextAttemptAt !== null) {
        this.#schedule(invocation.requestId, invocation.nextAttemptAt - clock.now())
      } else {
        this.dispatch(invocation.requestId)
      }
    }
    return unfinished.length
  }

  get busy(): number {
    return this.#inFlight.size
  }

  /** Stop starting attempts; attempts still running are left for `recover()` after a restart. */
  stop(): void {
    this.#stopped = true
    this.#commit.flush()
    for (const timer of this.#timers.values()) this.#options.clock.clearTimeout(timer)
    this.#timers.clear()
  }

  #schedule(requestId: string, delayMs: number): void {
    const timer = this.#options.clock.setTimeout(
      () => {
        this.#timers.delete(requestId)
        this.dispatch(requestId)
      },
      Math.max(0, delayMs)
    )
    this.#timers.set(requestId, timer)
  }

  async #attempt(requestId: string): Promise<void> {
    const { store, clock } = this.#options
    const invocation = store.get(requestId)
    if (!invocation || (invocation.status !== 'pending' && invocation.status !== 'retrying')) return
    const attempt = invocation.attempts + 1
    const startedAt = clock.now()
    const running = startedRecord(invocation, startedAt)
    const started = this.#commit(() => {
      store.startAttempt(requestId, attempt, startedAt)
      return this.#options.summarize?.(running)
    })
    // the attempt waits for this commit: no window (the ends waiting go along)
    this.#commit.flush()
    const history = await started
    await this.#run(running, store.event(requestId), history)
  }

  /** Run the attempt `invocation.attempts`, already recorded as started; record and announce its end. */
  async #run(invocation: InvocationRecord, event: unknown, history: HistoryRow | undefined): Promise<void> {
    const { store, clock, functions } = this.#options
    const requestId = invocation.requestId
    const attempt = invocation.attempts
    this.#options.onUpdate(invocation, history)
    const onLine = (line: RunLogLine): void => this.#options.onLine(invocation, line)
    const target = functions.find(invocation.functionName)
    const fault = target ? this.#options.faults?.take(invocation.functionName) : undefined
    if (fault && fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs))
    const injected = fault ? (fault.action !== 'none' ? fault.action : fault.latencyMs > 0 ? 'latency' : null) : null
    let result: FunctionRun | undefined
    if (target && fault && fault.action !== 'none') {
      const remaining = fault.action === 'fail' ? fault.next.failNext : fault.next.timeoutNext
      result = await this.#injected(requestId, fault.action, remaining, target, onLine)
    } else {
      result = await functions.run(invocation.functionName, { requestId, event, onLine })
    }
    if (!result) {
      const message = `Function ${invocation.functionName} does not exist`
      const now = clock.now()
      const lines = [
        startLine(requestId),
        errorLine(requestId, message),
        endLine(requestId),
        reportLine(requestId, 0, 0, 0)
      ].map((text) => ({
        time: now,
        text
      }))
      lines.forEach(onLine)
      result = { outcome: 'function-missing' as const, durationMs: 0, memUsageBytes: 0, message, lines }
    }
    if (this.#stopped) return // recorded as interrupted and re-run after a restart
    const next = afterAttempt({
      outcome: result.outcome,
      attempt,
      retryNum: invocation.retryNum,
      async: invocation.source === 'trigger'
    })
    const now = clock.now()
    const finished = changedRecord(invocation, {
      status: next.status,
      nextAttemptAt: next.status === 'retrying' ? now + next.delayMs : null,
      updatedAt: now,
      finishedAt: next.status === 'retrying' ? null : now,
      durationMs: Math.round(result.durationMs),
      memUsageBytes: result.memUsageBytes,
      message: result.message
    })
    const summary = await this.#commit(() => {
      store.finishAttempt({
        requestId,
        functionName: invocation.functionName,
        attempt,
        outcome: result.outcome,
        durationMs: result.durationMs,
        memUsageBytes: result.memUsageBytes,
        message: result.message,
        status: next.status,
        nextAttemptAt: finished.nextAttemptAt,
        now,
        lines: result.lines,
        injected
      })
      return this.#options.summarize?.(finished)
    })
    if (next.status === 'retrying') this.#schedule(requestId, next.delayMs)
    else this.#maybePrune(invocation.functionName)
    this.#options.onUpdate(finished, summary)
  }

  /** An attempt whose outcome fault injection decides: the platform lines, the injected error, no process. */
  async #injected(
    requestId: string,
    action: Exclude<FaultAction, 'none'>,
    remaining: number,
    target: FunctionTarget,
    onLine: (line: RunLogLine) => void
  ): Promise<FunctionRun> {
    const { clock } = this.#options
    const started = clock.now()
    const lines: RunLogLine[] = []
    const add = (text: string, time = clock.now()): void => {
      const line = { time, text }
      lines.push(line)
      onLine(line)
    }
    add(startLine(requestId))
    const now = clock.now()
    add(userLine(now, requestId, injectedMessage(action, remaining)), now)
    const timeout = target.timeout ?? 3
    if (action === 'timeout') {
      // The function's whole timeout passes on the emulated clock, as a real timeout would.
      await new Promise<void>((resolve) => clock.setTimeout(resolve, timeout * 1000))
    }
    const errorMessage =
      action === 'timeout'
        ? `Invoking task timed out after ${timeout} seconds (injected)`
        : 'Injected failure (cos-local fault injection)'
    const message = JSON.stringify({ errorCode: action === 'timeout' ? -1 : 1, errorMessage })
    add(errorLine(requestId, message))
    add(endLine(requestId))
    const durationMs = clock.now() - started
    add(reportLine(requestId, durationMs, target.memory ?? 128, 0))
    return { outcome: action === 'timeout' ? 'timeout' : 'error', durationMs, memUsageBytes: 0, message, lines }
  }

  /** Retention is enforced every few finished invocations, not on each (it scans the function's rows). */
  #maybePrune(functionName: string): void {
    const count = (this.#finished.get(functionName) ?? 0) + 1
    this.#finished.set(functionName, count % PRUNE_EVERY)
    // in the next group commit (with other attempts' ends), not in a commit of its own
    if (count % PRUNE_EVERY === 0)
      void this.#commit(() => this.#options.store.prune(functionName, this.#options.keepPerFunction)).catch(
        (error: unknown) => console.error('[cos-local] pruning old invocations failed:', error)
      )
  }
}

/** The record as `InvocationStore.startAttempt` leaves it. */
export function startedRecord(invocation: InvocationRecord, now: number): InvocationRecord {
  return changedRecord(invocation, {
    status: 'running',
    attempts: invocation.attempts + 1,
    nextAttemptAt: null,
    updatedAt: now
  })
}
