/**
 * Recording a group commit's writes for the writer thread (writer-thread.ts).
 *
 * Every statement of the database is prepared through `RecordingDatabase`. While its recorder
 * is on (a group commit being built for the writer thread), a statement that writes does not
 * run: its SQL and parameters are kept, in order, and the writer thread's connection runs them
 * in one transaction. Reads still run here, inside a read transaction, and see what is
 * committed: the group commit records only while no other group is in flight. A group that
 * would depend on its own writes stops the recording (`refuse`) and commits on this thread as
 * before: a write whose result is used (rows RETURNING, `changes`), a key written twice in the
 * group (`claim`), a statement run outside a prepared one (`exec`, `pragma`).
 *
 * While a group is in flight, a write on this thread first waits for the writer's COMMIT (a
 * shared flag the thread clears, with Atomics.wait: a fraction of a millisecond), so one
 * connection writes at a time and SQLite's busy handler, which sleeps a millisecond or more,
 * never runs.
 */
import Database from 'libsql'

type Statement = Database.Statement<unknown[]>
type RunResult = Database.RunResult

/** One recorded write: the statement's SQL and the arguments `run` got. */
export type RecordedWrite = [sql: string, args: unknown[]]

/** Thrown to stop a recording; the group then commits on the main thread. */
export class NotRecordable extends Error {
  constructor() {
    super('this write needs the database here (the group commits on the main thread)')
  }
}

/** The longest a write here waits for the writer thread's COMMIT before it fails. */
const WAIT_LIMIT_MS = 30_000

/** SQL that only reads: everything else counts as a write (PRAGMA included). */
const READ_ONLY = /^\s*(?:SELECT|VALUES|EXPLAIN)\b/i

export class WriteRecorder {
  /** 1 while a group is in the writer thread's hands: set here, cleared by the thread after its COMMIT. */
  readonly flag = new Int32Array(new SharedArrayBuffer(4))
  #writes: RecordedWrite[] | undefined
  readonly #claims = new Set<string>()
  #refused = false
  /** What a recorded `run` returns: reading its counts stops the recording. */
  readonly #unknownResult: RunResult

  constructor() {
    const refuse = (): never => this.refuse()
    this.#unknownResult = Object.freeze({
      get changes(): number {
        return refuse()
      },
      get lastInsertRowid(): number {
        return refuse()
      }
    }) as unknown as RunResult
  }

  get recording(): boolean {
    return this.#writes !== undefined
  }

  /** Whether a group is in the writer thread's hands (its COMMIT not done yet). */
  get inFlight(): boolean {
    return Atomics.load(this.flag, 0) !== 0
  }

  start(): void {
    this.#writes = []
    this.#claims.clear()
    this.#refused = false
  }

  /** End the recording: its writes, or undefined when it was refused. */
  stop(): RecordedWrite[] | undefined {
    const writes = this.#writes
    this.#writes = undefined
    this.#claims.clear()
    return this.#refused ? undefined : writes
  }

  record(sql: string, args: unknown[]): RunResult {
    this.#writes!.push([sql, args])
    return this.#unknownResult
  }

  /** Stop the recording (even if the error is caught on the way: `stop` says so). */
  refuse(): never {
    this.#refused = true
    throw new NotRecordable()
  }

  /**
   * A write that reads first what it replaces (a key's 'null' version): a second such write of
   * the same `id` in the group would read the table without the first, so it stops the recording.
   */
  claim(id: string): void {
    if (this.#writes === undefined) return
    if (this.#claims.has(id)) this.refuse()
    this.#claims.add(id)
  }

  /** How many writes are recorded (a mark to roll back to). */
  mark(): number {
    return this.#writes?.length ?? 0
  }

  /** Forget the writes recorded after `mark` (a nested transaction that threw). */
  rollBackTo(mark: number): void {
    if (this.#writes) this.#writes.length = mark
  }

  /** Before a write that runs here: none while recording, and none before the writer's COMMIT. */
  beforeWrite(): void {
    if (this.#writes !== undefined) this.refuse()
    if (Atomics.load(this.flag, 0) !== 0) this.waitIdle()
  }

  /** Call `then` once no group is in flight (now, or after the writer thread's COMMIT). */
  whenIdle(then: () => void): void {
    if (!this.inFlight) return then()
    // ES2024's Atomics.waitAsync (Node 16+), not in the ES2023 typings this project compiles with
    const { waitAsync } = Atomics as unknown as {
      waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<unknown> | string }
    }
    const result = waitAsync(this.flag, 0, 1)
    if (result.async) void (result.value as Promise<unknown>).then(then)
    else then()
  }

  /** Wait for the writer thread's COMMIT of the group in flight. */
  waitIdle(): void {
    const deadline = Date.now() + WAIT_LIMIT_MS
    while (Atomics.load(this.flag, 0) !== 0) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('the database writer thread did not finish its commit within 30 s')
      Atomics.wait(this.flag, 0, 1, left)
    }
  }
}

/** A prepared statement whose writes the recorder can keep instead of running. */
class RecordableStatement {
  readonly #inner: Statement
  readonly #sql: string
  readonly #writes: boolean
  readonly #recorder: WriteRecorder

  constructor(inner: Statement, sql: string, recorder: WriteRecorder) {
    this.#inner = inner
    this.#sql = sql
    this.#writes = !READ_ONLY.test(sql)
    this.#recorder = recorder
  }

  run(...args: unknown[]): RunResult {
    if (this.#writes) {
      const recorder = this.#recorder
      if (recorder.recording) return recorder.record(this.#sql, args)
      if (recorder.inFlight) recorder.waitIdle()
    }
    return this.#inner.run(...args)
  }

  get(...args: unknown[]): unknown {
    if (this.#writes) this.#recorder.beforeWrite()
    return this.#inner.get(...args)
  }

  all(...args: unknown[]): unknown[] {
    if (this.#writes) this.#recorder.beforeWrite()
    return this.#inner.all(...args)
  }

  iterate(...args: unknown[]): IterableIterator<unknown> {
    if (this.#writes) this.#recorder.beforeWrite()
    return this.#inner.iterate(...args)
  }

  raw(raw?: boolean): this {
    this.#inner.raw(raw)
    return this
  }

  pluck(pluck?: boolean): this {
    this.#inner.pluck(pluck)
    return this
  }
}

/** libsql's database, every statement recordable (see the file's comment). */
export class RecordingDatabase extends Database {
  readonly recorder = new WriteRecorder()

  override prepare: InstanceType<typeof Database>['prepare'] = (sql: string) =>
    new RecordableStatement(super.prepare(sql), sql, this.recorder) as never

  /** A statement that always runs here (the group commit's own BEGIN and COMMIT). */
  prepareHere(sql: string): Statement {
    return super.prepare(sql)
  }

  override exec(sql: string): this {
    this.recorder.beforeWrite()
    super.exec(sql)
    return this
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- libsql's own signature
  override transaction<F extends (...params: any[]) => unknown>(fn: F): Database.Transaction<F> {
    const recorder = this.recorder
    const inner = super.transaction(fn)
    // recording, the writes of a nested transaction that throws are dropped (a savepoint's rollback)
    const run = (...args: Parameters<F>): ReturnType<F> => {
      if (!recorder.recording) return (inner as unknown as (...params: unknown[]) => ReturnType<F>)(...args)
      const mark = recorder.mark()
      try {
        return fn(...args) as ReturnType<F>
      } catch (error) {
        recorder.rollBackTo(mark)
        throw error
      }
    }
    return Object.assign(run, { default: run, deferred: run, immediate: run, exclusive: run }) as never
  }
}
