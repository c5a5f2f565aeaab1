/**
 * The writer thread: a worker with a connection of its own that commits the storage's group
 * commits. The main thread builds a group as before (the versions, their events, the bus's
 * deliveries and history rows) but records its writes instead of running them
 * (write-recorder.ts); the thread runs them in one transaction and answers after its COMMIT,
 * and only then are the group's writes acknowledged. The main thread so keeps the JavaScript
 * of a PUT and hands SQLite's part (binding, B-tree inserts, the WAL's pages and, under
 * --fsync, its flush) to the second core.
 *
 * One group is in the thread's hands at a time: the group commit holds the next one
 * (group-commit.ts `holdCommits`) until the answer, so what arrives meanwhile forms a larger
 * group. Writes that do not go through the group commit run on the main connection, after the
 * thread's COMMIT of the group in flight (the recorder's flag), so there is never more than
 * one writer. Durability is the same as on the main connection: the thread's connection has the
 * same `synchronous` setting, and a write is acknowledged only after the COMMIT that holds it.
 *
 * If the thread cannot start or fails, the groups commit on the main thread as they did before
 * it existed (`ready` stays or turns false).
 */
import type { Worker } from 'node:worker_threads'
import { startDatabaseThread } from './database-thread.ts'
import type { Db } from './db.ts'
import type { RecordedWrite } from './write-recorder.ts'

export interface WriterThread {
  /** Whether groups can go to the thread (started, not failed, not closing). */
  readonly ready: boolean
  /** Run `writes` in one transaction on the thread; settles after its COMMIT (or its failure). */
  commit(writes: RecordedWrite[]): Promise<void>
  /** Wait for the group in flight, then stop the thread (before the main connection closes). */
  close(): Promise<void>
  /** Groups and writes handed to the thread so far (benchmarks and tests). */
  readonly handed: { groups: number; writes: number }
}

/**
 * The thread's page cache: the pages its inserts touch (the indexes' last leaves, the tables'
 * newest pages). 8 MiB cost the thread 46-48 µs per 4 KiB PUT in groups of 12 where the main
 * connection's 32 MiB cost 59-64 and SQLite's default 2 MiB 50-54 (bench/put-commit-cpu.ts,
 * load 3.4-3.8); the main connection keeps its 32 MiB for the reads.
 */
const CACHE_KIB = 8192

type Reply = { type: 'ready' } | { type: 'done'; id: number; error?: { message: string; code?: string } }

interface Waiting {
  resolve: () => void
  reject: (error: Error) => void
}

export function startWriterThread(db: Db, file: string, options: { fsync: boolean }): WriterThread | undefined {
  const { flag } = db.recorder
  let worker: Worker
  try {
    // the thread keeps one group's rows at a time
    worker = startDatabaseThread(
      WORKER_SOURCE,
      file,
      options.fsync,
      { flag: flag.buffer, cacheKib: CACHE_KIB },
      { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 }
    )
  } catch (error) {
    console.error('[cos-local] group commits stay on the main thread (no writer thread):', error)
    return undefined
  }
  worker.unref()
  let ready = false
  let closing: Promise<void> | undefined
  let nextId = 0
  const handed = { groups: 0, writes: 0 }
  const sqlIds = new SqlIds()
  const waiting = new Map<number, Waiting>()
  /** Settled when nothing is in flight (close waits for it). */
  let drained: (() => void) | undefined
  /** Settles once the thread has exited (whether close asked it to or it failed). */
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))

  const failAll = (error: Error): void => {
    ready = false
    // the thread is gone: nothing will clear the flag for the main thread's writes
    Atomics.store(flag, 0, 0)
    Atomics.notify(flag, 0)
    for (const entry of waiting.values()) entry.reject(error)
    waiting.clear()
    drained?.()
  }
  worker.on('message', (reply: Reply) => {
    if (reply.type === 'ready') {
      ready = closing === undefined
      return
    }
    const entry = waiting.get(reply.id)
    waiting.delete(reply.id)
    if (reply.error) entry?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }))
    else entry?.resolve()
    if (waiting.size === 0) drained?.()
  })
  worker.on('error', (error) => {
    console.error('[cos-local] the writer thread failed; group commits go on on the main thread:', error)
    failAll(error)
  })
  worker.on('exit', () => failAll(new Error('the writer thread stopped')))

  return {
    get ready() {
      return ready
    },
    handed,
    commit(writes) {
      return new Promise<void>((resolve, reject) => {
        const id = ++nextId
        waiting.set(id, { resolve, reject })
        worker.ref()
        handed.groups++
        handed.writes += writes.length
        Atomics.store(flag, 0, 1)
        worker.postMessage({ id, writes: numbered(writes, sqlIds), sqls: sqlIds.added() })
      }).finally(() => {
        if (waiting.size === 0) worker.unref()
      })
    },
    close() {
      ready = false
      closing ??= new Promise<void>((resolve) => {
        if (waiting.size === 0) resolve()
        else drained = resolve
      }).then(() => {
        // a thread that has already exited (it failed) posts no second 'exit': `exited` has settled
        worker.ref()
        worker.postMessage('close')
        setTimeout(() => void worker.terminate(), 5000).unref()
        return exited
      })
      return closing
    }
  }
}

/**
 * Numbers for SQL texts: a write goes to the thread as its statement's number (the text once,
 * the first time), so the texts are neither copied nor looked up there again.
 */
class SqlIds {
  readonly #ids = new Map<string, number>()
  #added: string[] = []

  id(sql: string): number {
    let id = this.#ids.get(sql)
    if (id === undefined) {
      id = this.#ids.size
      this.#ids.set(sql, id)
      this.#added.push(sql)
    }
    return id
  }

  /** The texts numbered since the last call, in number order. */
  added(): string[] {
    const added = this.#added
    this.#added = []
    return added
  }
}

/**
 * The writes as the thread takes them: [statement number, arguments]. A byte view posted to a
 * thread carries its whole buffer (a small Buffer is a slice of an 8 KiB pool, a body may be a
 * slice of a larger one): a copy of its bytes goes instead.
 */
function numbered(writes: RecordedWrite[], ids: SqlIds): [number, unknown[]][] {
  const out: [number, unknown[]][] = []
  for (const [sql, args] of writes) {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]
      if (Array.isArray(arg)) {
        for (let j = 0; j < arg.length; j++) arg[j] = detached(arg[j])
      } else args[i] = detached(arg)
    }
    out.push([ids.id(sql), args])
  }
  return out
}

function detached(value: unknown): unknown {
  if (!ArrayBuffer.isView(value) || value.byteLength === value.buffer.byteLength) return value
  return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
}

/**
 * The thread (CommonJS, evaluated: no file of its own to bundle). Each message is one group:
 * BEGIN IMMEDIATE, its writes in order (statements compiled once, by number), COMMIT; on an
 * error the transaction is rolled back and the error goes back. The flag is cleared before the
 * answer, so a write waiting on the main thread goes on at once.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.libsql)
const db = new Database(workerData.file)
db.exec('PRAGMA synchronous = ' + workerData.synchronous)
db.exec('PRAGMA busy_timeout = 5000')
db.exec('PRAGMA wal_autocheckpoint = 0')
db.exec('PRAGMA foreign_keys = ON')
db.exec('PRAGMA cache_size = -' + workerData.cacheKib)
const flag = new Int32Array(workerData.flag)
const begin = db.prepare('BEGIN IMMEDIATE')
const commit = db.prepare('COMMIT')
const rollback = db.prepare('ROLLBACK')
/** The statements by number (see SqlIds): the texts arrive in number order. */
const statements = []
/** Bytes arrive as Uint8Array: libsql binds a Buffer as a blob. */
function bindable(value) {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value
}
function run(id, args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (Array.isArray(arg)) for (let j = 0; j < arg.length; j++) arg[j] = bindable(arg[j])
    else args[i] = bindable(arg)
  }
  statements[id].run(...args)
}
/** A text that does not compile here keeps its number: the groups using it fail (and commit on the main thread). */
function prepared(sql) {
  try {
    return db.prepare(sql)
  } catch (error) {
    return { run() { throw error } }
  }
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close()
    parentPort.close()
    return
  }
  for (const sql of message.sqls) statements.push(prepared(sql))
  let error
  try {
    begin.run()
    for (const [id, args] of message.writes) run(id, args)
    commit.run()
  } catch (failure) {
    error = { message: String(failure && failure.message), code: failure && failure.code }
    try {
      if (db.inTransaction) rollback.run()
    } catch {}
  } finally {
    Atomics.store(flag, 0, 0)
    Atomics.notify(flag, 0)
  }
  parentPort.postMessage({ type: 'done', id: message.id, error })
})
parentPort.postMessage({ type: 'ready' })
`
