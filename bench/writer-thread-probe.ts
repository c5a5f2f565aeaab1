/**
 * `node bin/tsx.js bench/writer-thread-probe.ts [--blocks 12] [--group 8] [--per 4000]`: what a
 * writer thread would save the main thread per 4 KiB PUT. Two ways of committing the same rows
 * (a table shaped like the object versions: key, version, headers JSON, 4 KiB of bytes, two
 * indexes), interleaved in blocks in one process:
 *
 * - here: the main thread runs each group's INSERTs and COMMIT itself (as the storage does now);
 * - writer: the main thread posts each group (its rows, bodies copied) to a worker thread that
 *   owns its own connection, and waits for the one reply per group.
 *
 * Prints the main thread's CPU per PUT (from /proc/thread-self/stat, so the worker's own CPU is
 * not counted) for both, median of the blocks, and the writer thread's CPU per PUT. It measures
 * the hand-over alone: a real writer thread would also need every read on the main thread to see
 * the writer's commit before a PUT is acknowledged (see bench/FINDINGS.md, "PUT").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'libsql'
import { numberOption } from './options.ts'

const BLOCKS = numberOption('--blocks', 12)
const GROUP = numberOption('--group', 8)
const PER_BLOCK = numberOption('--per', 4000)

const SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (
  id INTEGER PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, version_id TEXT NOT NULL,
  headers TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, mtime INTEGER NOT NULL, bytes BLOB);
CREATE INDEX IF NOT EXISTS versions_listing ON versions (bucket, key);
CREATE INDEX IF NOT EXISTS versions_history ON versions (bucket, key, id DESC);`
const INSERT =
  'INSERT INTO versions (bucket, key, version_id, headers, size, etag, mtime, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'

type Row = [string, string, string, string, number, string, number, Uint8Array]

/** The worker: its own connection to the same file; one transaction per posted group. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.libsql)
const db = new Database(workerData.file)
db.exec('PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000')
const insert = db.prepare(workerData.insert)
const begin = db.prepare('BEGIN IMMEDIATE')
const commit = db.prepare('COMMIT')
parentPort.on('message', (rows) => {
  if (rows === 'cpu') {
    const f = require('node:fs').readFileSync('/proc/thread-self/stat', 'latin1')
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ')
    parentPort.postMessage((Number(fields[11]) + Number(fields[12])) * 10)
    return
  }
  begin.run()
  const ids = []
  for (const row of rows) ids.push(Number(insert.run(row).lastInsertRowid))
  commit.run()
  parentPort.postMessage(ids)
})
`

/** This thread's CPU time, ms (user + system; clock ticks of 10 ms). */
function threadCpuMs(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'latin1')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const root = mkdtempSync(join(tmpdir(), 'cos-writer-probe-'))
const file = join(root, 'probe.db')
const db = new Database(file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.pragma('busy_timeout = 5000')
db.exec(SCHEMA)
const insert = db.prepare(INSERT)
const begin = db.prepare('BEGIN IMMEDIATE')
const commit = db.prepare('COMMIT')
const worker = new Worker(WORKER_SOURCE, {
  eval: true,
  workerData: { file, libsql: createRequire(import.meta.url).resolve('libsql'), insert: INSERT }
})
const replies: ((value: unknown) => void)[] = []
worker.on('message', (message) => replies.shift()?.(message))
const ask = (message: unknown): Promise<unknown> =>
  new Promise((resolve) => {
    replies.push(resolve)
    worker.postMessage(message)
  })

const body = Buffer.alloc(4096, 7)
let serial = 0
const headers = JSON.stringify({ 'Content-Type': 'text/plain', 'x-cos-meta-a': 'b' })
function rowsOfGroup(): Row[] {
  const rows: Row[] = []
  for (let i = 0; i < GROUP; i++) {
    serial++
    // a body per PUT, as a request's own buffer would be
    rows.push(['b', `k/${serial}`, 'null', headers, 4096, `"${serial}"`, Date.now(), Buffer.from(body)])
  }
  return rows
}

async function blockHere(): Promise<number> {
  const before = threadCpuMs()
  for (let n = 0; n < PER_BLOCK; n += GROUP) {
    const rows = rowsOfGroup()
    begin.run()
    for (const row of rows) insert.run(row)
    commit.run()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return ((threadCpuMs() - before) * 1000) / PER_BLOCK
}

async function blockWriter(): Promise<{ main: number; writer: number }> {
  const writerBefore = (await ask('cpu')) as number
  const before = threadCpuMs()
  for (let n = 0; n < PER_BLOCK; n += GROUP) await ask(rowsOfGroup())
  const main = ((threadCpuMs() - before) * 1000) / PER_BLOCK
  const writer = ((((await ask('cpu')) as number) - writerBefore) * 1000) / PER_BLOCK
  return { main, writer }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const here: number[] = []
const handed: number[] = []
const writer: number[] = []
// warm-up: both paths, uncounted
await blockHere()
await blockWriter()
for (let block = 0; block < BLOCKS; block++) {
  here.push(await blockHere())
  const result = await blockWriter()
  handed.push(result.main)
  writer.push(result.writer)
}
await worker.terminate()
db.close()
rmSync(root, { recursive: true, force: true })

console.log(`groups of ${GROUP}, ${BLOCKS} blocks of ${PER_BLOCK} PUTs each way, 4 KiB rows (median of the blocks):`)
console.log(`  committed on the main thread:        main thread ${median(here).toFixed(1)} µs per PUT`)
console.log(
  `  handed to a writer thread:           main thread ${median(handed).toFixed(1)} µs per PUT, writer ${median(writer).toFixed(1)} µs`
)
console.log(
  `  load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}`
)
