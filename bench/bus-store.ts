/**
 * `node bin/tsx.js bench/bus-store.ts [events] [--runs N] [--sql-stats] [--drop-index NAME,…]`: the event bus's store
 * work alone, in one process: the real queue, dispatcher, delivery executor, invocation store and
 * event history on a real database, driven by "PUTs" that append one event each through a group
 * commit set up as the object store's (16 in flight), and a function invoker that answers after
 * 1 ms without a process. Prints the CPU and the WAL frames (pages written) per event, and the
 * COMMITs per event, so a change to the bus's rows, indexes or commits can be weighed without the
 * HTTP server, the function processes or the machine's load moving the figure much. The WAL is
 * left to grow (no checkpoints), so its size is what the commits wrote.
 * `--sql-stats` also prints how often each statement ran and its time, per event; `--drop-index`
 * drops indexes before the run (what each one costs).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEventBus } from '../main/bus/event-bus.ts'
import type { FunctionRun, RunLogLine } from '../main/bus/ports.ts'
import { createSystemClock } from '../main/core/clock.ts'
import { createRequestIdSource } from '../main/core/cos/request-id.ts'
import type { ObjectEvent } from '../main/core/events/object-event.ts'
import { endLine, reportLine, responseLine, startLine } from '../main/core/functions/run-log.ts'
import { openDatabase, type Db } from '../main/store/db.ts'
import { EventQueue } from '../main/store/event-queue.ts'
import { createGroupCommit } from '../main/store/group-commit.ts'
import { forEachConcurrent } from './load.ts'

const args = process.argv.slice(2)
const events = Number(args.find((a) => /^\d+$/.test(a)) ?? 3000)
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const runs = Number(option('--runs') ?? 3)
const sqlStats = args.includes('--sql-stats')
/** Indexes dropped before the run, to weigh what each costs. */
const dropIndexes = (option('--drop-index') ?? '').split(',').filter(Boolean)

const BUCKET = 'bench-1250000000'
const REGION = 'ap-guangzhou'

/** Statement counts and times by SQL text (with `--sql-stats`). */
const stats = new Map<string, { n: number; ns: bigint }>()
let counting = false
/** Every COMMIT counted; with `all`, every statement timed. */
function countStatements(db: Db, all: boolean): void {
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    const statement = prepare(sql)
    const key = sql.replace(/\s+/g, ' ').slice(0, 100)
    if (!all && key !== 'COMMIT') return statement
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method].bind(statement) as (...a: unknown[]) => unknown
      ;(statement as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
        if (!counting) return original(...a)
        const t0 = process.hrtime.bigint()
        try {
          return original(...a)
        } finally {
          const entry = stats.get(key) ?? { n: 0, ns: 0n }
          entry.n++
          entry.ns += process.hrtime.bigint() - t0
          stats.set(key, entry)
        }
      }
    }
    return statement
  }) as Db['prepare']
}

const cosRequestId = createRequestIdSource(Date.now)

function event(i: number): ObjectEvent {
  return {
    name: 'cos:ObjectCreated:Put',
    bucket: BUCKET,
    region: REGION,
    key: `bus/${i}`,
    versionId: '',
    size: 5,
    etag: '"4f6e1b7a9c1d2e3f4a5b6c7d8e9f0a1b"',
    meta: {},
    requestId: cosRequestId(),
    sourceIp: '127.0.0.1',
    authorization: 'q-sign-algorithm=sha1',
    time: Date.now()
  }
}

async function once(): Promise<{ cpuUs: number; frames: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cos-bus-store-'))
  try {
    const db = openDatabase(dir)
    db.pragma('wal_autocheckpoint = 0')
    countStatements(db, sqlStats)
    const clock = createSystemClock()
    const queue = new EventQueue(db)
    const run = async (
      _name: string,
      request: { requestId: string; onLine(line: RunLogLine): void }
    ): Promise<FunctionRun> => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      const now = clock.now()
      const lines = [
        startLine(request.requestId),
        responseLine(request.requestId, null),
        endLine(request.requestId),
        reportLine(request.requestId, 1, 128, 30 << 20)
      ].map((text) => ({ time: now, text }))
      lines.forEach((line) => request.onLine(line))
      return { outcome: 'succeeded', durationMs: 1, memUsageBytes: 30 << 20, message: 'null', lines }
    }
    const target = { name: 'bus-noop', namespace: 'default', retryNum: 2, timeout: 3, memory: 128 }
    const bus = createEventBus({
      db,
      queue,
      clock,
      appid: '1250000000',
      region: REGION,
      functions: { find: (name) => (name === target.name ? target : undefined), run },
      triggers: () => [
        {
          id: 'trigger-1',
          functionName: target.name,
          qualifier: '$DEFAULT',
          bucket: BUCKET,
          region: REGION,
          event: 'cos:ObjectCreated:*',
          prefix: 'bus/',
          suffix: '',
          enabled: true,
          createdAt: 0
        }
      ]
    })
    bus.start()
    for (const index of dropIndexes) db.exec(`DROP INDEX ${index}`)
    const groupCommit = createGroupCommit(db, {
      afterCommit: () => queue.notify(),
      inCommit: () => queue.runInCommit(),
      staging: { begin: () => queue.beginGroup(), end: () => queue.endGroup(), abort: () => queue.abortGroup() }
    })
    const wal = `${join(dir, 'cos-local.db')}-wal`
    const walSize = (): number => {
      try {
        return statSync(wal).size
      } catch {
        return 0
      }
    }
    const settle = async (): Promise<void> => {
      while (bus.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 2))
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    // warm-up: V8 compiles the paths, the tables reach their retained size
    await forEachConcurrent(2000, 16, (i) => groupCommit(() => queue.append([event(i)])))
    await settle()
    counting = true
    const walBefore = walSize()
    const cpu = process.cpuUsage()
    await forEachConcurrent(events, 16, (i) => groupCommit(() => queue.append([event(10_000 + i)])))
    await settle()
    const spent = process.cpuUsage(cpu)
    counting = false
    const frames = (walSize() - walBefore) / (4096 + 24)
    await bus.stop()
    db.close()
    return {
      cpuUs: (spent.user + spent.system) / events,
      frames: frames / events
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const results = []
for (let r = 0; r < runs; r++) results.push(await once())
console.log(`${events} events, ${runs} runs`)
console.log(`  CPU µs per event      ${results.map((r) => r.cpuUs.toFixed(0)).join(' / ')}`)
console.log(`  WAL frames per event  ${results.map((r) => r.frames.toFixed(2)).join(' / ')}`)
const total = events * runs
console.log(`  commits per event     ${((stats.get('COMMIT')?.n ?? 0) / total).toFixed(3)}`)
if (sqlStats) {
  for (const [sql, { n, ns }] of [...stats].sort((a, b) => Number(b[1].ns - a[1].ns)))
    console.log(
      `  ${(n / total).toFixed(3).padStart(7)} × ${(Number(ns) / 1000 / total).toFixed(1).padStart(6)} µs  ${sql}`
    )
}
