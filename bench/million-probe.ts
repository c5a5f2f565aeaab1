/**
 * Where the full marker-paged listing's slow pages go: `node bin/tsx.js bench/million-probe.ts
 * DIR [--starts N] [--runs N] [--evict] [--over MS] [--bundle CLI.js]` (DIR: a seeded million folder; with
 * --evict, a copy of one: its database file is dropped from the OS page cache before each
 * listing). The built server is started N times (--starts, 2), each time listing the bucket
 * --runs times (3), over one lean keep-alive connection. Per page it records, besides the
 * client's time and the server's own (Server-Timing):
 *
 * - each server thread's CPU time and the main thread's wait for a CPU (`/proc/PID/task/TID/
 *   schedstat`: ns of running and of waiting on a run queue), the client's likewise;
 * - the machine's CPU pressure (`/proc/pressure/cpu` "some" total: µs during which some
 *   runnable task waited for a CPU), so preemption by other processes shows;
 * - the server's reads (`/proc/PID/io`: rchar, the bytes SQLite preads, which are its page
 *   cache's misses; read_bytes, those that went to the disk, the OS page cache's misses) and the
 *   main thread's page faults;
 * - every collection of every server isolate (bench/million-gc-log.mjs, preloaded) and of the
 *   client, overlapping the page.
 *
 * It then prints each run's percentiles, the slowest pages with all of the above, and the
 * pages over --over ms (10) counted by what they overlap. The load average goes with each run.
 * --json FILE writes every page's record; --trace-gc prints the server's V8 lines of
 * collections of 5 ms or more. --bundle runs another build's out/main/cli.js (kept inside the repository, for its
 * node_modules) for an A/B.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { BUCKET } from './client.ts'
import { LeanConnection } from './lean-connection.ts'
import { PEERS, startServer, type RunningServer } from './servers.ts'
import { numberOption } from './options.ts'

const args = process.argv.slice(2)
const dir = args[0]!
const starts = numberOption('--starts', 2)
const runs = numberOption('--runs', 3)
const over = numberOption('--over', 10)
const evict = args.includes('--evict')
const traceGc = args.includes('--trace-gc')
const longGcLines: string[] = []
const bundleAt = args.indexOf('--bundle')
const peer =
  bundleAt < 0
    ? PEERS.cosLocal
    : { ...PEERS.cosLocal, command: (d: string) => [args[bundleAt + 1]!, ...PEERS.cosLocal.command(d).slice(1)] }
const gcPreload = join(fileURLToPath(import.meta.url), '..', 'million-gc-log.mjs')
const dbFile = join(dir, 'cos-local.db')
if (!existsSync(dbFile)) throw new Error(`no ${dbFile}`)

const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')
/** Wall-clock ms, comparable with the preloaded GC log's. */
const wallNow = (): number => performance.timeOrigin + performance.now()

interface Gc {
  thread: number
  kind: number
  start: number
  ms: number
}
const clientGcs: Gc[] = []
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    clientGcs.push({
      thread: -1,
      kind: (e as unknown as { detail: { kind: number } }).detail.kind,
      start: performance.timeOrigin + e.startTime,
      ms: e.duration
    })
}).observe({ entryTypes: ['gc'] })

/** ns running, ns waiting for a CPU. */
function schedstat(path: string): [number, number] {
  try {
    const [run, wait] = readFileSync(path, 'latin1').split(' ')
    return [Number(run), Number(wait)]
  } catch {
    return [0, 0] // the thread ended
  }
}
const pressureNow = (): number => Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'latin1'))?.[1])

interface Snapshot {
  at: number
  threads: Map<string, [number, number]>
  client: [number, number]
  pressureUs: number
  rchar: number
  readBytes: number
  minflt: number
  majflt: number
  /** Every thread's minor faults (GC helpers fault in fresh heap pages too). */
  processMinflt: number
}

function snapshot(server: RunningServer, tids: { tid: number; name: string }[]): Snapshot {
  const threads = new Map<string, [number, number]>()
  for (const { tid, name } of tids) {
    const [run, wait] = schedstat(`/proc/${server.pid}/task/${tid}/schedstat`)
    // every thread of node is named 'node' (V8's helpers, libuv's pool, the checkpoint worker): tell them by tid
    const key = tid === server.pid ? 'main' : `${name}/${tid}`
    const had = threads.get(key) ?? [0, 0]
    threads.set(key, [had[0] + run, had[1] + wait])
  }
  const io = readFileSync(`/proc/${server.pid}/io`, 'latin1')
  const stat = readFileSync(`/proc/${server.pid}/task/${server.pid}/stat`, 'latin1').split(') ')[1]!.split(' ')
  return {
    at: wallNow(),
    threads,
    client: schedstat(`/proc/${process.pid}/task/${process.pid}/schedstat`),
    pressureUs: pressureNow(),
    rchar: Number(/rchar: (\d+)/.exec(io)?.[1]),
    readBytes: Number(/read_bytes: (\d+)/.exec(io)?.[1]),
    minflt: Number(stat[7]),
    majflt: Number(stat[9]),
    processMinflt: Number(readFileSync(`/proc/${server.pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[7])
  }
}

function threadsOf(pid: number): { tid: number; name: string }[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => ({
    tid: Number(tid),
    name: readFileSync(`/proc/${pid}/task/${tid}/comm`, 'latin1').trim()
  }))
}

interface Page {
  start: number
  run: string
  index: number
  ms: number
  serverMs: number
  /** The server's main thread: ms on a CPU, ms waiting for one. */
  mainRun: number
  mainWait: number
  /** The rest of the window between the two snapshots: the main thread asleep (idle, or blocked in a read). */
  mainAsleep: number
  /** Other server threads' CPU ms, by name. */
  others: Map<string, number>
  clientRun: number
  clientWait: number
  pressure: number
  rcharKiB: number
  diskKiB: number
  minflt: number
  majflt: number
  processMinflt: number
  serverGc: Gc[]
  clientGc: Gc[]
  load: number
}

const pages: Page[] = []
const runLines: string[] = []
const gcLog = join(mkdtempSync(join(os.tmpdir(), 'million-probe-')), 'gc.log')
const KEY_OPEN = Buffer.from('<Key>')
const KEY_CLOSE = Buffer.from('</Key>')
const TRUNCATED = Buffer.from('<IsTruncated>true</IsTruncated>')

function evictFile(): void {
  const python = `import os; fd = os.open(${JSON.stringify(dbFile)}, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)`
  spawnSync('python3', ['-c', python], { stdio: 'inherit' })
}
const cachedMiB = (): string =>
  spawnSync('fincore', ['-n', dbFile], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]!

for (let start = 0; start < starts; start++) {
  if (evict) evictFile()
  process.env.COS_BENCH_GC_LOG = gcLog
  const server = await startServer(peer, dir, ['--import', gcPreload, ...(traceGc ? ['--trace-gc'] : [])])
  const client = new LeanConnection(server.port)
  try {
    // one short warm-up page (what any client's first request does), then the listings
    await client.get(`/${BUCKET}?max-keys=1`)
    for (let r = 0; r < runs; r++) {
      if (evict && r > 0) evictFile()
      const run = `${start}.${r}`
      const cached = cachedMiB()
      const tids = threadsOf(server.pid)
      let marker = ''
      let before = snapshot(server, tids)
      const loadAtStart = os.loadavg()[0]!
      const mine: Page[] = []
      for (let index = 0; ; index++) {
        const sent = wallNow()
        const reply = await client.get(`/${BUCKET}?${new URLSearchParams({ marker, 'max-keys': '1000' })}`)
        const ms = wallNow() - sent
        const after = snapshot(server, tids)
        if (reply.status !== 200) throw new Error(`List Objects → ${reply.status}`)
        const others = new Map<string, number>()
        for (const [name, [run]] of after.threads)
          if (name !== 'main') others.set(name, (run - (before.threads.get(name)?.[0] ?? 0)) / 1e6)
        const main = after.threads.get('main')!
        const mainBefore = before.threads.get('main')!
        mine.push({
          start: sent,
          run,
          index,
          ms,
          serverMs: Number(/\r\nserver-timing: list;dur=([\d.]+)/i.exec(reply.head)?.[1] ?? NaN),
          mainRun: (main[0] - mainBefore[0]) / 1e6,
          mainWait: (main[1] - mainBefore[1]) / 1e6,
          mainAsleep: after.at - before.at - (main[0] - mainBefore[0] + main[1] - mainBefore[1]) / 1e6,
          others,
          clientRun: (after.client[0] - before.client[0]) / 1e6,
          clientWait: (after.client[1] - before.client[1]) / 1e6,
          pressure: (after.pressureUs - before.pressureUs) / 1000,
          rcharKiB: (after.rchar - before.rchar) / 1024,
          diskKiB: (after.readBytes - before.readBytes) / 1024,
          minflt: after.minflt - before.minflt,
          majflt: after.majflt - before.majflt,
          processMinflt: after.processMinflt - before.processMinflt,
          serverGc: [],
          clientGc: [],
          load: os.loadavg()[0]!
        })
        before = after
        const body = reply.body
        if (body.indexOf(TRUNCATED) < 0) break
        const last = body.lastIndexOf(KEY_OPEN)
        marker = body.toString('utf8', last + KEY_OPEN.length, body.indexOf(KEY_CLOSE, last))
      }
      pages.push(...mine)
      const ms = mine.map((p) => p.ms).sort((a, b) => a - b)
      const srv = mine.map((p) => p.serverMs).sort((a, b) => a - b)
      const pct = (s: number[], q: number): string => s[Math.min(s.length - 1, Math.floor(s.length * q))]!.toFixed(1)
      const sum = (f: (p: Page) => number): string => mine.reduce((s, p) => s + f(p), 0).toFixed(0)
      runLines.push(
        `run ${run} (load ${loadAtStart.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}; db file cached before: ${cached}): ` +
          `${mine.length} pages; client p50 ${pct(ms, 0.5)} p99 ${pct(ms, 0.99)} max ${ms.at(-1)!.toFixed(1)} ms; ` +
          `server p50 ${pct(srv, 0.5)} p99 ${pct(srv, 0.99)} max ${srv.at(-1)!.toFixed(1)} ms; ` +
          `server main CPU ${sum((p) => p.mainRun)} ms, waited ${sum((p) => p.mainWait)} ms; ` +
          `SQLite read ${(mine.reduce((s, p) => s + p.rcharKiB, 0) / 1024).toFixed(0)} MiB, from disk ${(mine.reduce((s, p) => s + p.diskKiB, 0) / 1024).toFixed(0)} MiB; ` +
          `CPU pressure ${sum((p) => p.pressure)} ms`
      )
    }
  } finally {
    client.close()
    if (traceGc)
      for (const line of server.output().split('\n'))
        if (Number(/, ([\d.]+) \/ [\d.]+ ms/.exec(line)?.[1] ?? 0) >= 5) longGcLines.push(line.trim())
    await server.stop()
  }
}

const serverGcs: Gc[] = readFileSync(gcLog, 'latin1')
  .trim()
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [thread, kind, start, ms] = line.split(' ').map(Number)
    return { thread: thread!, kind: kind!, start: start!, ms: ms! }
  })
rmSync(join(gcLog, '..'), { recursive: true, force: true })
const overlapping = (gcs: Gc[], p: Page): Gc[] =>
  gcs.filter((g) => g.start + g.ms > p.start && g.start < p.start + p.ms)
for (const p of pages) {
  p.serverGc = overlapping(serverGcs, p)
  p.clientGc = overlapping(clientGcs, p)
}
const GC_KIND: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak' }
const gcText = (gcs: Gc[]): string =>
  gcs
    .map((g) => `${g.thread === 0 ? '' : `t${g.thread} `}${GC_KIND[g.kind] ?? g.kind} ${g.ms.toFixed(1)}`)
    .join(', ') || '-'
const mainGcMs = (p: Page): number => p.serverGc.filter((g) => g.thread === 0).reduce((s, g) => s + g.ms, 0)
const othersText = (p: Page): string =>
  [...p.others]
    .filter(([, ms]) => ms >= 0.5)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ') || '-'

console.log(
  `# million-probe ${new Date().toISOString().slice(0, 16)} UTC, ${dir}${evict ? ', evicted' : ''}; load at the end ${load()}`
)
for (const line of runLines) console.log(line)
for (const line of longGcLines) console.log(`server --trace-gc: ${line}`)
for (const run of new Set(pages.map((p) => p.run))) {
  const mine = pages.filter((p) => p.run === run)
  const from = mine[0]!.start
  const to = mine.at(-1)!.start + mine.at(-1)!.ms
  const during = serverGcs.filter((g) => g.start >= from && g.start < to)
  const main = during.filter((g) => g.thread === 0)
  const workers = during.filter((g) => g.thread !== 0)
  console.log(
    `run ${run}: server main-thread collections ${main.length}, ${main.reduce((s, g) => s + g.ms, 0).toFixed(0)} ms ` +
      `(longest ${Math.max(0, ...main.map((g) => g.ms)).toFixed(1)}); worker isolates' ${workers.length}; ` +
      `client ${clientGcs.filter((g) => g.start >= from && g.start < to).length}; ` +
      `faults in the server's main thread ${mine.reduce((s, p) => s + p.minflt, 0)} minor, ${mine.reduce((s, p) => s + p.majflt, 0)} major, ` +
      `in all its threads ${mine.reduce((s, p) => s + p.processMinflt, 0)} minor`
  )
}
const gcByThread = new Map<string, number>()
for (const g of serverGcs) {
  const key = `${g.thread === 0 ? 'main' : `worker ${g.thread}`} ${GC_KIND[g.kind] ?? g.kind}`
  gcByThread.set(key, (gcByThread.get(key) ?? 0) + 1)
}
console.log(`server collections (whole time): ${[...gcByThread].map(([k, n]) => `${k} ×${n}`).join(', ')}`)
console.log()
console.log(
  '| page | client ms | server ms | main CPU / wait / asleep ms | CPU pressure ms | client CPU / wait ms | SQLite read KiB (disk) | faults main min/maj, all threads | server GC ms | client GC ms | other threads CPU ms | load |'
)
console.log('|---|--:|--:|--:|--:|--:|--:|--:|---|---|---|--:|')
const row = (p: Page): string =>
  `| ${p.run} #${p.index} | ${p.ms.toFixed(1)} | ${p.serverMs.toFixed(1)} | ${p.mainRun.toFixed(1)} / ${p.mainWait.toFixed(1)} / ${p.mainAsleep.toFixed(1)} | ${p.pressure.toFixed(1)} | ` +
  `${p.clientRun.toFixed(1)} / ${p.clientWait.toFixed(1)} | ${p.rcharKiB.toFixed(0)} (${p.diskKiB.toFixed(0)}) | ${p.minflt}/${p.majflt}, ${p.processMinflt} | ` +
  `${gcText(p.serverGc)} | ${gcText(p.clientGc)} | ${othersText(p)} | ${p.load.toFixed(2)} |`
for (const p of [...pages].sort((a, b) => b.ms - a.ms).slice(0, 15)) console.log(row(p))
const typical = [...pages].sort((a, b) => a.ms - b.ms)[Math.floor(pages.length / 2)]!
console.log(`${row(typical)} ← the median page`)

const fromDisk = pages.filter((p) => p.diskKiB > 0 || p.majflt > 0)
if (fromDisk.length) {
  const ms = fromDisk.map((p) => p.ms).sort((a, b) => a - b)
  const asleep = fromDisk.map((p) => p.mainAsleep).sort((a, b) => a - b)
  const rest = pages
    .filter((p) => !fromDisk.includes(p))
    .map((p) => p.mainAsleep)
    .sort((a, b) => a - b)
  console.log()
  console.log(
    `pages that read from the disk: ${fromDisk.length}, ${(fromDisk.reduce((s, p) => s + p.diskKiB, 0) / 1024).toFixed(0)} MiB; ` +
      `client p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} max ${ms.at(-1)!.toFixed(1)} ms; the server's main thread asleep in them ` +
      `p50 ${asleep[Math.floor(asleep.length / 2)]!.toFixed(1)} max ${asleep.at(-1)!.toFixed(1)} ms (other pages: p50 ${rest[Math.floor(rest.length / 2)]?.toFixed(1)} max ${rest.at(-1)?.toFixed(1)} ms)`
  )
  for (const p of [...fromDisk].sort((a, b) => b.ms - a.ms).slice(0, 5)) console.log(row(p))
}

const jsonAt = args.indexOf('--json')
if (jsonAt >= 0)
  writeFileSync(args[jsonAt + 1]!, JSON.stringify(pages.map((p) => ({ ...p, others: Object.fromEntries(p.others) }))))

const slow = pages.filter((p) => p.ms > over)
const causes = {
  'the server waited for a CPU ≥ 3 ms (preempted)': (p: Page) => p.mainWait >= 3,
  'the client waited for a CPU ≥ 3 ms': (p: Page) => p.clientWait >= 3,
  'a main-thread collection ≥ 3 ms in the server': (p: Page) => mainGcMs(p) >= 3,
  'a client collection ≥ 3 ms': (p: Page) => p.clientGc.reduce((s, g) => s + g.ms, 0) >= 3,
  'reads from the disk': (p: Page) => p.diskKiB > 0 || p.majflt > 0,
  'the server main thread asleep ≥ 3 ms (blocked in a read?)': (p: Page) => p.mainAsleep >= 3,
  'another server thread ran ≥ 3 ms': (p: Page) => [...p.others.values()].some((ms) => ms >= 3)
}
console.log()
console.log(`pages over ${over} ms: ${slow.length} of ${pages.length}`)
for (const [name, test] of Object.entries(causes)) console.log(`  ${name}: ${slow.filter(test).length}`)
const none = slow.filter((p) => !Object.values(causes).some((test) => test(p)))
console.log(
  `  none of these: ${none.length}${none.length ? ` (${none.map((p) => `${p.run} #${p.index}`).join(', ')})` : ''}`
)
