/**
 * WAL checkpoints on a thread of their own. A commit appends its pages to the write-ahead
 * log; a checkpoint copies them into the database file (and fsyncs both). SQLite runs one
 * inside the commit that takes the WAL past 1000 pages, so every few dozen group commits one
 * request waited for a copy of megabytes and two fsyncs on the event loop. Here a worker
 * thread with its own connection checkpoints (PASSIVE: it never blocks a writer or a reader)
 * shortly after the WAL grew, and the main connection's automatic checkpoints are off.
 *
 * Durability is unchanged: a commit is durable when its frames are in the WAL (kill -9),
 * or fsynced there under --fsync (machine crash), whoever copies them later.
 *
 * The WAL starts over from its beginning only when a write finds every frame copied; a
 * checkpoint running beside a steady stream of commits never quite catches up, so when the
 * WAL passes WAL_LIMIT_FRAMES the main thread holds its group commits (group-commit.ts
 * `holdCommits`: requests go on being read and answered, writes queue) and the thread copies
 * the frames left; then the commits go on, the first of them starting the WAL over. The main
 * thread copied those frames itself before, and its event loop stood still for the copy and two
 * fsyncs (14–39 ms, every ~1,500 PUTs of 4 KiB at 4,096 frames). It still does when frames are
 * left after the thread's copy (a write that does not go through a group commit came between),
 * or when the thread does not answer within HOLD_MS. If the thread cannot start or stops,
 * SQLite's automatic checkpoints are switched back on.
 *
 * SQLite fsyncs the database file only in a checkpoint that reaches the WAL's end, so under a
 * stream of commits the pages every checkpoint copied stay unflushed until the start-over's: at
 * the limit the thread flushes them and copies what came meanwhile, FLUSH_PASSES times, before
 * it asks for the hold, which then waits for the last frames only (the rounds of PUTs with a
 * start-over in bench/wal-restarts.ts: 5–7 ms, against 48–71 without the flushes, 64 MiB WAL).
 *
 * The thread leaves the WAL alone until it holds CHECKPOINT_FROM_FRAMES frames (it reads the
 * count from the WAL index, the -shm file, without a lock); from there on it checkpoints on
 * every tick, as it always did, until a commit has started the WAL over. That commit writes a
 * new WAL header and fsyncs it (SQLite does so in every synchronous mode but OFF: without it a
 * machine crash could leave the restarted WAL unreadable), on the event loop: ~0.7 ms.
 * Checkpointing everything after each commit made nearly every commit that followed a pause of
 * 20 ms pay it; now one commit in every ~1000 pages does (as with SQLite's own automatic
 * checkpoints, whose default is 1000 pages).
 */
import { endianness } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { startDatabaseThread } from './database-thread.ts'
import type { Db } from './db.ts'
import { holdCommits } from './group-commit.ts'

/**
 * The WAL size (in pages) past which the commits wait for the thread to copy the rest: 64 MiB
 * of 4 KiB pages. Each start-over holds the commits for the last copy and its two fsyncs (a few
 * ms in this VM), so the limit sets how often: every ~5,000 PUTs of 4 KiB (3 frames each). The
 * file keeps its largest size until the database closes.
 */
const WAL_LIMIT_FRAMES = 16384
/** The longest the commits are held for the thread's copy (it takes 5–20 ms here). */
const HOLD_MS = 1000
/** Flushes of the database file (each followed by a copy) before the hold: see the file's comment. */
const FLUSH_PASSES = 3
/** The thread checkpoints once the WAL holds this many frames (see above). */
const CHECKPOINT_FROM_FRAMES = 1000
/** Look again this soon after the WAL grew; back off to MAX while nothing changes. */
const MIN_DELAY_MS = 20
const MAX_DELAY_MS = 1000
/** SQLite's default wal_autocheckpoint, restored when the thread is gone. */
const AUTO_CHECKPOINT_PAGES = 1000

export interface WalCheckpointer {
  /** Stop the thread and close its connection (before the main connection closes). */
  close(): Promise<void>
}

type Reply =
  | { type: 'ready' }
  | { type: 'large'; log: number }
  | { type: 'drained'; log: number; checkpointed: number }
  | { type: 'closed' }

/**
 * At a clean close, after the thread has stopped: copy the WAL's last frames into the database
 * file and truncate the log to nothing. libsql's close leaves the -wal file as it is (up to
 * WAL_LIMIT_FRAMES pages and a little over), so the next start would read all of it back to
 * rebuild the WAL index, and the data folder would keep it. Nothing is at stake if this fails
 * (the frames stay in the log, recovered at the next start as after a kill -9).
 */
export function emptyWalAtClose(db: Db): void {
  try {
    if (db.open && !db.inTransaction) db.pragma('wal_checkpoint(TRUNCATE)')
  } catch (error) {
    console.error('[cos-local] emptying the WAL at close failed (the next start recovers it):', error)
  }
}

export interface WalCheckpointerOptions {
  fsync: boolean
  /** WAL_LIMIT_FRAMES unless given (tests). */
  limitFrames?: number
}

export function startWalCheckpointer(db: Db, file: string, options: WalCheckpointerOptions): WalCheckpointer {
  let worker: Worker | undefined
  let closing: Promise<void> | undefined
  const restoreAuto = (): void => {
    worker = undefined
    try {
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
    } catch {
      // the database is closing
    }
  }
  try {
    worker = startDatabaseThread(
      WORKER_SOURCE,
      file,
      options.fsync,
      { littleEndian: endianness() === 'LE', ...TIMING, limit: options.limitFrames ?? WAL_LIMIT_FRAMES },
      { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 }
    )
  } catch (error) {
    console.error('[cos-local] WAL checkpoints stay on the event loop (no thread):', error)
    return { close: () => Promise.resolve() }
  }
  const thread = worker
  thread.unref()
  /** Releases the held commits (see 'large'), once. */
  let release: (() => void) | undefined
  let holdTimer: NodeJS.Timeout | undefined
  const releaseCommits = (): void => {
    clearTimeout(holdTimer)
    release?.()
    release = undefined
  }
  /** Copy the frames left here, on the event loop (no transaction is open between two turns). */
  const checkpointHere = (): void => {
    try {
      if (db.open && !db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)')
    } catch (error) {
      console.error('[cos-local] WAL checkpoint on the main thread failed:', error)
    }
  }
  thread.on('message', (message: Reply) => {
    let resume = message.type === 'large' || message.type === 'drained'
    try {
      if (!db.open || closing) return
      if (message.type === 'ready') db.pragma('wal_autocheckpoint = 0')
      else if (message.type === 'large' && !release) {
        // the worker waits: hold the commits and let it copy the last frames
        release = holdCommits(db)
        holdTimer = setTimeout(() => {
          // no answer: copy them here
          checkpointHere()
          releaseCommits()
        }, HOLD_MS)
        // a group in the writer thread's hands commits first: the thread then copies its frames too
        db.recorder.whenIdle(() => thread.postMessage('drain'))
        resume = false
      } else if (message.type === 'drained') {
        // frames left (written outside the held commits): copy them here, as before the hold
        if (message.checkpointed < message.log) checkpointHere()
      }
    } catch (error) {
      console.error('[cos-local] WAL checkpoint on the main thread failed:', error)
    } finally {
      if (message.type === 'drained') releaseCommits()
      if (resume) thread.postMessage('resume')
    }
  })
  thread.on('error', (error) => {
    console.error('[cos-local] the WAL checkpoint thread failed; SQLite checkpoints on commit again:', error)
    releaseCommits()
    restoreAuto()
  })
  thread.on('exit', () => {
    releaseCommits()
    if (worker === thread && !closing) restoreAuto()
  })

  return {
    close() {
      closing ??= new Promise<void>((resolve) => {
        releaseCommits()
        if (worker !== thread) return resolve()
        thread.once('exit', () => resolve())
        // unref'd while it runs; waiting for its exit must keep the process alive (else a
        // script whose last work is close() ends with its promise unsettled, exit code 13)
        thread.ref()
        thread.postMessage('close')
        // a thread stuck in a long checkpoint is stopped anyway
        setTimeout(() => void thread.terminate(), 5000).unref()
      }).then(restoreAuto)
      return closing
    }
  }
}

const TIMING = {
  flushPasses: FLUSH_PASSES,
  from: CHECKPOINT_FROM_FRAMES,
  minDelay: MIN_DELAY_MS,
  maxDelay: MAX_DELAY_MS
}

/**
 * The thread (CommonJS, evaluated: no file of its own to bundle). Every tick: one PASSIVE
 * checkpoint once the WAL holds `from` frames; soon again while the WAL keeps changing, less
 * often while it is idle. Past the limit it tells the main thread, which holds its commits and
 * sends 'drain' (copy the rest, answer 'drained'), then 'resume'. The WAL's frame count is read from the WAL index header (the -shm file,
 * https://sqlite.org/walformat.html: mxFrame at byte 16, native byte order); when that file
 * cannot be read it checkpoints on every tick.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const Database = require(workerData.libsql)
const db = new Database(workerData.file)
db.exec('PRAGMA synchronous = ' + workerData.synchronous)
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
const index = Buffer.alloc(20)
let indexFd
let dbFd
/** The frames in the WAL, or undefined when the WAL index cannot be read. */
function walFrames() {
  try {
    indexFd ??= fs.openSync(workerData.file + '-shm', 'r')
    if (fs.readSync(indexFd, index, 0, 20, 0) < 20) return undefined
  } catch {
    return undefined
  }
  return workerData.littleEndian ? index.readUInt32LE(16) : index.readUInt32BE(16)
}
let delay = workerData.minDelay
let lastLog = -1
let timer
let waiting = false
function tick() {
  timer = undefined
  const frames = walFrames()
  if (frames !== undefined && frames < workerData.from) {
    delay = frames !== lastLog ? workerData.minDelay : Math.min(delay * 2, workerData.maxDelay)
    lastLog = frames
    timer = setTimeout(tick, delay)
    return
  }
  let log
  try {
    log = Number(checkpoint.get().log)
  } catch {
    // busy or failing for a moment: try again later
    timer = setTimeout(tick, workerData.maxDelay)
    return
  }
  if (log >= workerData.limit) {
    // The checkpoint that empties the WAL fsyncs the database file, and with it every page the
    // checkpoints since the last start-over copied there (SQLite syncs it only when a checkpoint
    // reaches the WAL's end): flush them now, while the commits still run, then copy what came
    // meanwhile; each pass leaves less, so the drain behind held commits has little to write.
    try {
      // read-write: Windows flushes only a handle with write access (nothing is written through it)
      dbFd ??= fs.openSync(workerData.file, 'r+')
      for (let pass = 0; pass < workerData.flushPasses; pass++) {
        fs.fdatasyncSync(dbFd)
        log = Number(checkpoint.get().log)
      }
    } catch {
      // the drain does it all
    }
    waiting = true
    parentPort.postMessage({ type: 'large', log })
    return
  }
  delay = log !== lastLog ? workerData.minDelay : Math.min(delay * 2, workerData.maxDelay)
  lastLog = log
  timer = setTimeout(tick, delay)
}
parentPort.on('message', (message) => {
  if (message === 'drain' && waiting) {
    // the main thread holds its commits: copy what is left, so the next commit starts the WAL over
    let result
    try {
      result = checkpoint.get()
    } catch {
      result = { log: 1, checkpointed: 0 }
    }
    parentPort.postMessage({ type: 'drained', log: Number(result.log), checkpointed: Number(result.checkpointed) })
  } else if (message === 'resume' && waiting) {
    waiting = false
    lastLog = -1
    timer = setTimeout(tick, workerData.minDelay)
  } else if (message === 'close') {
    clearTimeout(timer)
    if (indexFd !== undefined) fs.closeSync(indexFd)
    if (dbFd !== undefined) fs.closeSync(dbFd)
    db.close()
    process.exit(0)
  }
})
parentPort.postMessage({ type: 'ready' })
timer = setTimeout(tick, workerData.minDelay)
`
