/**
 * `npm run bench:million [-- --objects N] [--no-build]`: one bucket with a million 4-byte
 * objects (`dNN/sN/kNNN`: 100 top-level prefixes × 10 × 1000 keys). The objects are written
 * through the storage service in this process (the same putObject, group commit and event
 * append as a PUT, without HTTP: loading a million objects over HTTP takes many minutes
 * on 2 shared cores), their events marked delivered as the running bus would; then the
 * bundled server is started on the folder and measured from outside: restart → first
 * request, every kind of List Objects call, the full marker-paged listing, its RSS, and
 * the data folder's bytes per object. Beside it in the same run, as the peer: the same
 * layout with 10,000 objects, measured the same way (what it shares with the million is what
 * does not grow with the bucket; on a loaded machine, compare the two columns). Prints
 * Markdown (also to bench/results/).
 *
 * `--data DIR` keeps the folder: the first run seeds it, later runs that find the bucket
 * already holding the objects measure it again without seeding (minutes saved per run).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createSystemClock } from '../main/core/clock.ts'
import { createStorage } from '../main/storage/create-storage.ts'
import { BUCKET } from './client.ts'
import { LeanConnection } from './lean-connection.ts'
import { median } from './load.ts'
import { benchRestart } from './restart.ts'
import {
  buildCosLocal,
  CLI_BUNDLE,
  PEERS,
  resultsDir,
  startServer,
  type Memory,
  type RunningServer
} from './servers.ts'

const args = process.argv.slice(2)
const objectsArg = args.indexOf('--objects')
const total = objectsArg >= 0 ? Number(args[objectsArg + 1]) : 1_000_000
const dataArg = args.indexOf('--data')
const keptDir = dataArg >= 0 ? args[dataArg + 1] : undefined
const progress = (line: string): void => void process.stderr.write(`· ${line}\n`)
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')

export function millionKey(i: number): string {
  const top = Math.floor(i / 10_000) % 100
  const sub = Math.floor(i / 1000) % 10
  return `d${String(top).padStart(2, '0')}/s${sub}/k${String(i % 1000).padStart(3, '0')}${i >= 1_000_000 ? `-${Math.floor(i / 1_000_000)}` : ''}`
}

async function seed(dataDir: string, total: number): Promise<number> {
  const opened = createStorage({
    dataDir,
    clock: createSystemClock(),
    appid: '1250000000',
    defaultRegion: 'ap-guangzhou',
    orphanSweepDelayMs: 3_600_000
  })
  const { storage, queue, db } = opened
  storage.createBucket(BUCKET, 'ap-guangzhou')
  const ctx = { requestId: 'seed', sourceIp: '127.0.0.1', authorization: '' }
  const body = Buffer.from('four')
  const started = performance.now()
  let next = 0
  const writer = async (): Promise<void> => {
    while (next < total) {
      const i = next++
      await storage.putObject(
        BUCKET,
        millionKey(i),
        Readable.from([body]),
        { headers: { 'content-type': 'application/octet-stream' }, storageClass: 'STANDARD', contentLength: 4 },
        ctx
      )
      if (i % 100_000 === 0 && i > 0) progress(`  ${i.toLocaleString('en-US')} objects`)
      // what the bus does as it goes: events delivered, then pruned
      if (i % 20_000 === 0) {
        const last = db.prepare('SELECT MAX(seq) AS seq FROM object_events').get() as { seq: number | null }
        if (last.seq !== null) queue.markDoneThrough(last.seq)
        queue.prune()
      }
    }
  }
  await Promise.all(Array.from({ length: 256 }, writer))
  const last = db.prepare('SELECT MAX(seq) AS seq FROM object_events').get() as { seq: number | null }
  if (last.seq !== null) queue.markDoneThrough(last.seq)
  queue.prune()
  await opened.close() // (empties the write-ahead log)
  return (performance.now() - started) / 1000
}

/** A file's size in bytes, 0 when it is missing. */
function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0
}

/** A kept folder seeded before: its last object is there (the seed writes keys in order, 256 at a time). */
async function alreadySeeded(dataDir: string): Promise<boolean> {
  if (!existsSync(join(dataDir, 'cos-local.db'))) return false
  const opened = createStorage({
    dataDir,
    clock: createSystemClock(),
    appid: '1250000000',
    defaultRegion: 'ap-guangzhou',
    orphanSweepDelayMs: 3_600_000
  })
  try {
    const page = opened.storage.listObjects(BUCKET, {
      prefix: '',
      delimiter: '',
      marker: millionKey(total - 2),
      maxKeys: 2
    })
    return page.contents.length === 1 && page.contents[0]?.key === millionKey(total - 1)
  } catch {
    return false
  } finally {
    await opened.close()
  }
}

async function timed(client: LeanConnection, query: Record<string, string>): Promise<{ ms: number; text: string }> {
  const started = performance.now()
  const reply = await client.get(`/${BUCKET}?${new URLSearchParams(query)}`)
  const ms = performance.now() - started
  if (reply.status !== 200) throw new Error(`List Objects → ${reply.status}: ${reply.body.toString().slice(0, 300)}`)
  return { ms, text: reply.body.toString() }
}

const count = (text: string, tag: string): number => (text.match(new RegExp(`<${tag}>`, 'g')) ?? []).length

/** `<Key>` elements in a page and the last one's text, read from the bytes without decoding the page. */
function keysOf(body: Buffer): { count: number; last: string } {
  let count = 0
  let at = body.indexOf(KEY_OPEN)
  let lastAt = -1
  while (at >= 0) {
    count++
    lastAt = at
    at = body.indexOf(KEY_OPEN, at + KEY_OPEN.length)
  }
  const last =
    lastAt < 0 ? '' : body.toString('utf8', lastAt + KEY_OPEN.length, body.indexOf(KEY_CLOSE, lastAt + KEY_OPEN.length))
  return { count, last }
}
const KEY_OPEN = Buffer.from('<Key>')
const KEY_CLOSE = Buffer.from('</Key>')
const TRUNCATED = Buffer.from('<IsTruncated>true</IsTruncated>')

interface Listings {
  prefix: number
  top: number
  deep: number
  fullMs: number
  pages: number
  slowest: number
  /** Which page of the full listing was the slowest (0 = the first), and the 99th percentile. */
  slowestPage: number
  p99: number
  /** The server's own time per page (its Server-Timing header): the slowest, the 99th percentile, and that of the page slowest for the client. */
  server: { slowest: number; p99: number; ofSlowestPage: number }
  /** Where the slowest page's time went (see PageCost). */
  slowestCost: PageCost
}

/**
 * What a page cost besides its time, read from /proc between pages (outside the timed
 * requests): the server's main thread's time on a CPU and waiting for one (schedstat), the
 * machine's CPU pressure (µs during which some runnable task waited for a CPU), the bytes the
 * server read from the disk (the OS page cache's misses) and its main thread's page faults.
 */
interface PageCost {
  cpuMs: number
  waitMs: number
  /** The bench client's main thread likewise. */
  clientCpuMs: number
  clientWaitMs: number
  pressureMs: number
  diskKiB: number
  faults: number
}
type CostSample = [cpu: number, wait: number, pressure: number, disk: number, faults: number, client: string]

function costSample(pid: number): CostSample {
  const [cpu, wait] = readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ')
  const pressure = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'latin1'))?.[1]
  const disk = /read_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))?.[1]
  const faults = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[7]
  const client = readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'latin1')
  return [Number(cpu), Number(wait), Number(pressure), Number(disk), Number(faults), client]
}

const costBetween = (a: CostSample, b: CostSample): PageCost => ({
  cpuMs: (b[0] - a[0]) / 1e6,
  waitMs: (b[1] - a[1]) / 1e6,
  pressureMs: (b[2] - a[2]) / 1000,
  diskKiB: (b[3] - a[3]) / 1024,
  faults: b[4] - a[4],
  clientCpuMs: (Number(b[5].split(' ')[0]) - Number(a[5].split(' ')[0])) / 1e6,
  clientWaitMs: (Number(b[5].split(' ')[1]) - Number(a[5].split(' ')[1])) / 1e6
})

/** A full collection of this (the client's) heap. */
function collectClientGarbage(): void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as (() => void) | undefined
  setFlagsFromString('--no-expose-gc')
  gc?.()
}

/** Every kind of List Objects call on a bucket of `objects` keys (medians of 7), then the full listing. */
async function measureListings(client: LeanConnection, objects: number, server: RunningServer): Promise<Listings> {
  const prefix: number[] = []
  const top: number[] = []
  const deep: number[] = []
  for (let r = 0; r < 7; r++) {
    const a = await timed(client, { prefix: millionKey(Math.floor(objects * 0.42)).slice(0, 7), 'max-keys': '1000' })
    if (count(a.text, 'Key') !== 1000) throw new Error(`prefix page: ${count(a.text, 'Key')} keys`)
    prefix.push(a.ms)
    const b = await timed(client, { delimiter: '/', 'max-keys': '1000' })
    if (count(b.text, 'Prefix') < Math.min(100, Math.ceil(objects / 10_000)))
      throw new Error('top level: too few prefixes')
    top.push(b.ms)
    const c = await timed(client, { marker: millionKey(Math.floor(objects * 0.777)), 'max-keys': '1000' })
    if (count(c.text, 'Key') !== Math.min(1000, objects - Math.floor(objects * 0.777) - 1))
      throw new Error(`deep page: ${count(c.text, 'Key')} keys`)
    deep.push(c.ms)
  }
  // this process seeded the peer in-process: its garbage is collected now, not inside a timed
  // page, and V8's sweeping after that collection (concurrent, finished lazily by the main
  // thread as it allocates: 20-30 ms of the client's CPU in the first page) ends before it
  collectClientGarbage()
  await new Promise((resolve) => setTimeout(resolve, 200))
  const started = performance.now()
  let marker = ''
  let keys = 0
  const times: number[] = []
  const serverTimes: number[] = []
  const costs: PageCost[] = []
  let before = costSample(server.pid)
  for (;;) {
    const pageStarted = performance.now()
    const reply = await client.get(`/${BUCKET}?${new URLSearchParams({ marker, 'max-keys': '1000' })}`)
    times.push(performance.now() - pageStarted)
    const after = costSample(server.pid)
    costs.push(costBetween(before, after))
    before = after
    if (reply.status !== 200) throw new Error(`full listing: List Objects → ${reply.status}`)
    serverTimes.push(Number(/\r\nserver-timing: list;dur=([\d.]+)/i.exec(reply.head)?.[1] ?? NaN))
    const found = keysOf(reply.body)
    keys += found.count
    if (reply.body.indexOf(TRUNCATED) < 0) break
    marker = found.last
  }
  const fullMs = performance.now() - started
  if (keys !== objects) throw new Error(`full listing: ${keys} keys of ${objects}`)
  const p99Of = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)]!
  const slowest = Math.max(...times)
  const pages = times.length
  return {
    prefix: median(prefix),
    top: median(top),
    deep: median(deep),
    fullMs,
    pages,
    slowest,
    slowestPage: times.indexOf(slowest),
    p99: p99Of(times),
    server: {
      slowest: Math.max(...serverTimes),
      p99: p99Of(serverTimes),
      ofSlowestPage: serverTimes[times.indexOf(slowest)]!
    },
    slowestCost: costs[times.indexOf(slowest)]!
  }
}

/** Spawn to exit of `node -e 0` (median of 3): the floor of any restart on this machine now. */
function bareNodeMs(): number {
  const runs = [0, 1, 2].map(() => {
    const started = performance.now()
    execFileSync(process.execPath, ['-e', '0'])
    return performance.now() - started
  })
  return median(runs)
}

async function main(): Promise<void> {
  if (!args.includes('--no-build')) {
    progress('npm run build')
    buildCosLocal()
  }
  if (!CLI_BUNDLE) throw new Error('no bundle')
  const out: string[] = []
  const emit = (line = ''): void => {
    out.push(line)
    process.stdout.write(line + '\n')
  }
  emit(`# ${total.toLocaleString('en-US')} objects in one bucket — ${new Date().toISOString().slice(0, 16)} UTC`)
  emit()
  emit(`Load average at start: ${load()}.`)
  const dataDir = keptDir ?? mkdtempSync(join(os.tmpdir(), 'cos-bench-million-'))
  // the peer in the same run: the same layout with 10,000 objects (what does not grow with the bucket)
  const smallDir = mkdtempSync(join(os.tmpdir(), 'cos-bench-million-small-'))
  try {
    const seeded = keptDir !== undefined && (await alreadySeeded(keptDir))
    if (!seeded) progress(`seeding ${total} objects`)
    else progress(`${dataDir} already holds ${total} objects: not seeding`)
    const seedSeconds = seeded ? undefined : await seed(dataDir, total)
    const bytes = Number(execFileSync('du', ['-sb', dataDir], { encoding: 'utf8' }).split('\t')[0])
    // a clean close empties the write-ahead log; a folder kept from an earlier build's seed may
    // still hold up to 64 MiB of it (and a little over): counted apart from the per-object figure
    const walBytes = fileSize(join(dataDir, 'cos-local.db-wal'))
    progress(`seeding the peer: ${SMALL} objects`)
    await seed(smallDir, SMALL)
    progress('restart ×3, each folder')
    const bare = bareNodeMs()
    const restartSmall = await benchRestart(PEERS.cosLocal, smallDir)
    const restart = await benchRestart(PEERS.cosLocal, dataDir)
    progress('listings, each folder')
    const small = await listingsOn(smallDir, SMALL)
    const big = await listingsOn(dataDir, total)
    const ok = (good: boolean): string => (good ? '✅ met' : '❌ missed')
    const ms = (value: number): string => `${value.toFixed(1)} ms`
    emit()
    if (seedSeconds !== undefined) {
      emit(`Seeded in ${seedSeconds.toFixed(1)} s through the storage service (${Math.round(total / seedSeconds)}/s).`)
      emit()
    }
    const n = total.toLocaleString('en-US')
    emit(`| measure | ${n} objects | ${SMALL.toLocaleString('en-US')} objects (same run) | target (${n}) |`)
    emit('|---|--:|--:|---|')
    emit(
      `| 1000-key page under a prefix (median of 7) | ${ms(big.l.prefix)} | ${ms(small.l.prefix)} | < 20 ms ${ok(big.l.prefix < 20)} |`
    )
    emit(
      `| top level, delimiter=/ (median of 7) | ${ms(big.l.top)} | ${ms(small.l.top)} | < 20 ms ${ok(big.l.top < 20)} |`
    )
    emit(
      `| 1000-key page deep in the key space (median of 7) | ${ms(big.l.deep)} | ${ms(small.l.deep)} | < 20 ms ${ok(big.l.deep < 20)} |`
    )
    emit(
      `| full marker-paged listing: pages, time per page | ${big.l.pages} in ${(big.l.fullMs / 1000).toFixed(1)} s, ${ms(big.l.fullMs / big.l.pages)} | ${small.l.pages} in ${(small.l.fullMs / 1000).toFixed(2)} s, ${ms(small.l.fullMs / small.l.pages)} | < 15 s ${ok(big.l.fullMs < 15_000)} |`
    )
    emit(
      `| slowest page of the full listing (which page; p99) | ${ms(big.l.slowest)} (#${big.l.slowestPage}; ${ms(big.l.p99)}) | ${ms(small.l.slowest)} (#${small.l.slowestPage}) | < 20 ms ${ok(big.l.slowest < 20)} |`
    )
    emit(
      `| the server's own time per page (Server-Timing): slowest, p99; that of the page above | ${ms(big.l.server.slowest)}, ${ms(big.l.server.p99)}; ${ms(big.l.server.ofSlowestPage)} | ${ms(small.l.server.slowest)}, ${ms(small.l.server.p99)}; ${ms(small.l.server.ofSlowestPage)} | — |`
    )
    const cost = (c: PageCost): string =>
      `${ms(c.cpuMs)} / ${ms(c.waitMs)}; ${ms(c.clientCpuMs)} / ${ms(c.clientWaitMs)}; ${ms(c.pressureMs)}; ${c.diskKiB.toFixed(0)} KiB; ${c.faults}`
    emit(
      `| that page: the server's main thread on a CPU / waiting for one; the client's likewise; the machine's CPU pressure; read from the disk; page faults | ${cost(big.l.slowestCost)} | ${cost(small.l.slowestCost)} | — |`
    )
    emit(
      `| restart → first List (median of 3; \`node -e 0\` alone: ${bare.toFixed(0)} ms) | ${restart.firstListMs.toFixed(0)} ms | ${restartSmall.firstListMs.toFixed(0)} ms | < 500 ms ${ok(restart.firstListMs < 500)} |`
    )
    emit(
      `| server RSS after the listings (peak) | ${big.memory.rssMiB.toFixed(0)} MiB (${big.memory.peakMiB.toFixed(0)}) | ${small.memory.rssMiB.toFixed(0)} MiB (${small.memory.peakMiB.toFixed(0)}) | < 200 MiB ${ok(big.memory.peakMiB < 200)} |`
    )
    emit(
      `| data folder without its write-ahead log (the log) | ${((bytes - walBytes) / 2 ** 20).toFixed(0)} MiB, ${((bytes - walBytes) / total).toFixed(0)} B per object (${(walBytes / 2 ** 20).toFixed(0)} MiB) | — | — |`
    )
    emit()
    emit(`Load average at the end: ${load()}.`)
  } finally {
    if (keptDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    rmSync(smallDir, { recursive: true, force: true })
  }
  const file = join(resultsDir(), `${new Date().toISOString().slice(0, 16).replace(':', '-')}-million.md`)
  writeFileSync(file, out.join('\n') + '\n')
  progress(`written to ${file}`)
}

const SMALL = 10_000

async function listingsOn(dataDir: string, objects: number): Promise<{ l: Listings; memory: Memory }> {
  const server = await startServer(PEERS.cosLocal, dataDir)
  const client = new LeanConnection(server.port)
  try {
    const l = await measureListings(client, objects, server)
    return { l, memory: server.memory() }
  } finally {
    client.close()
    await server.stop()
  }
}

await main()
