/**
 * Event bus: PUT → handler start latency and events/s, with a no-op Node function attached to
 * the bench bucket by a COS trigger. The function appends "<key> <ms, fractional>" to a file
 * at handler start; the bench compares that with the time it sent the PUT (both read the
 * system's monotonic clock, process.hrtime, the same in every process: see monoNow).
 */
import { execFile } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { BUCKET, Client, objectPath } from './client.ts'
import { forEachConcurrent, median, percentile } from './load.ts'
import { cpuSnapshot, cpuSpent, type CpuSpent } from './proc-cpu.ts'
import { PEERS, startServer, type RunningServer } from './servers.ts'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const run = promisify(execFile)

const COLD_FUNCTIONS = 3
export const WARM_GAP_MS = 20

export interface EventResult {
  /** Median over COLD_FUNCTIONS fresh functions. */
  coldMs: number
  coldSamples: number
  warmP50Ms: number
  warmP99Ms: number
  /**
   * The same, counted from when node:http writes the PUT to its socket instead of from the call
   * that builds the request (what the bench client spends on its own request after its idle
   * sleep is left out).
   */
  warmFromWriteP50Ms: number
  warmFromWriteP99Ms: number
  /** The same, counted from the PUT's response instead of its send. */
  warmAfterAckP50Ms: number
  warmAfterAckP99Ms: number
  warmSamples: number
  eventsPerSec: number
  /** The same burst's PUTs acknowledged per second (first send → last response): the ceiling for eventsPerSec. */
  burstPutsPerSec: number
  burstEvents: number
  /** CPU µs per event of the burst: the server, its function processes, the bench client. */
  burstCpuUsPerEvent: CpuPerEvent
  /** Load average (1 min) at the end of the burst. */
  burstLoad: number
  /** Processes the server started during the burst (function instances, a spare) and their CPU ms in it. */
  burstNewProcesses: { count: number; cpuMs: number }
  /**
   * The fourth burst of the same size (after the first and two uncounted ones): by then V8 has
   * optimized the server's hot paths (the first burst after start-up pays for much of that).
   */
  steady: { eventsPerSec: number; putsPerSec: number; cpuUsPerEvent: CpuPerEvent; load: number }
  /** The same burst of PUTs under a prefix no trigger matches: PUTs/s and CPU µs per PUT. */
  plainPutsPerSec: number
  plainCpuUsPerPut: { server: number; client: number }
}

export interface CpuPerEvent {
  server: number
  functions: number
  client: number
}

export const HANDLER = `'use strict'
const fs = require('node:fs')
exports.main_handler = async (event) => {
  const at = Number(process.hrtime.bigint()) / 1e6
  const key = event.Records[0].cos.cosObject.key
  fs.appendFileSync(process.env.BENCH_OUT, key + ' ' + at + '\\n')
  return 'ok'
}
`

/**
 * A no-op function (`HANDLER`, written to `fnDir`) created through `cli` (the cos-local CLI on
 * the bench's data folder), with a trigger on ObjectCreated:* in the bench bucket under
 * `prefix` (every key when there is none); its handler appends each started key to `outFile`,
 * which is kept outside `fnDir` (a function created with --dir is hot-reloaded when its folder
 * changes).
 */
export async function addNoopFunction(
  cli: (...args: string[]) => Promise<unknown>,
  options: { name: string; fnDir: string; outFile: string; prefix?: string }
): Promise<void> {
  const { name, fnDir, outFile, prefix } = options
  mkdirSync(fnDir, { recursive: true })
  writeFileSync(join(fnDir, 'index.js'), HANDLER)
  await cli('function', 'create', name, '--dir', fnDir, '--runtime', 'nodejs', '--env', `BENCH_OUT=${outFile}`)
  const under = prefix ? ['--prefix', prefix] : []
  await cli('trigger', 'add', '--function', name, '--bucket', BUCKET, '--events', 'cos:ObjectCreated:*', ...under)
}

/**
 * ms on the system's monotonic clock (CLOCK_MONOTONIC, the same in every process). Not
 * performance.timeOrigin + performance.now(): a process's timeOrigin can be off by a fraction
 * of a ms against another process's (seen: ~0.7 ms between two servers started a second apart
 * on the loaded machine), which would shift every handler start of a function instance.
 */
export const monoNow = (): number => Number(process.hrtime.bigint()) / 1e6

async function cli(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(root, 'bin', 'cos-local.js'), ...args, '--data', dataDir])
  return stdout
}

/**
 * Handler start times by key (the event key is `/appid/bucket/key`), read incrementally: each
 * poll reads only what the handlers appended since the previous one, so waiting costs the
 * client (which shares the cores with the server and the functions) next to nothing.
 */
export class StartsFile {
  readonly starts = new Map<string, number>()
  #offset = 0
  #partial = ''
  readonly #file: string

  constructor(file: string) {
    this.#file = file
  }

  poll(): void {
    let fd: number
    try {
      fd = openSync(this.#file, 'r')
    } catch {
      return // no handler has started yet
    }
    try {
      const buffer = Buffer.alloc(64 * 1024)
      for (;;) {
        const length = readSync(fd, buffer, 0, buffer.length, this.#offset)
        if (length === 0) break
        this.#offset += length
        const lines = (this.#partial + buffer.toString('utf8', 0, length)).split('\n')
        this.#partial = lines.pop() ?? ''
        for (const line of lines) {
          const space = line.lastIndexOf(' ')
          if (space > 0)
            this.starts.set(line.slice(0, space).replace(/^\/\d+\/[^/]+\//, ''), Number(line.slice(space + 1)))
        }
      }
    } finally {
      closeSync(fd)
    }
  }

  async waitFor(keys: string[], timeoutMs: number): Promise<Map<string, number>> {
    const deadline = performance.now() + timeoutMs
    let from = 0
    for (;;) {
      this.poll()
      while (from < keys.length && this.starts.has(keys[from]!)) from++
      if (from === keys.length) return this.starts
      if (performance.now() > deadline) {
        const missing = keys.filter((k) => !this.starts.has(k))
        throw new Error(
          `handler did not start for ${missing.length} of ${keys.length} keys within ${timeoutMs} ms (first: ${missing[0]})`
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  }
}

/**
 * The bench client's own JIT warm-up: `bursts` bursts of `count` PUTs at c=16 (the measured
 * bursts' request path: Client, forEachConcurrent, node:http's client) against the null node:http
 * server in a process of its own, stopped before anything is measured. A benchmark must not
 * measure its own client's compiling: in the first burst after a start the client cost 150–450
 * µs per event against ≈ 110 once warm, on the same 2 cores as the server and its functions.
 * The server under test sees none of this traffic.
 */
export async function warmClient(bursts = 4, count = 1000): Promise<void> {
  const server = await startServer(PEERS.nullServer, '')
  const client = new Client(server.port, 16)
  const body = Buffer.from('event')
  try {
    for (let b = 0; b < bursts; b++)
      await forEachConcurrent(count, 16, async (i) => {
        await client.ok('PUT', objectPath(`warm/${b}/${i}`), { body })
      })
  } finally {
    client.close()
    await server.stop()
  }
}

/** `coldClient`: leave out warmClient (to see what the client's own compiling costs the first burst). */
export async function benchEvents(
  server: RunningServer,
  options: { count: number; coldClient?: boolean }
): Promise<EventResult> {
  const dataDir = server.dataDir
  const fnDir = join(dataDir, '..', `${dataDir.split('/').pop()}-fn`)
  const outFile = join(dataDir, '..', `${dataDir.split('/').pop()}-starts.txt`)
  const startsFile = new StartsFile(outFile)
  const client = new Client(server.port, 16)
  const body = Buffer.from('event')

  /** A no-op function with its own trigger on ObjectCreated:* under `prefix`. */
  const createFunction = (name: string, prefix: string): Promise<void> =>
    addNoopFunction((...args) => cli(dataDir, ...args), { name, fnDir, outFile, prefix })
  /** ms from sending the PUT to the handler's first line (and from the PUT's response). */
  const acked: number[] = []
  const written: number[] = []
  const putAndWait = async (key: string): Promise<number> => {
    const sent = monoNow()
    let write = NaN
    await client.ok('PUT', objectPath(key), { body, onWrite: () => (write = monoNow()) })
    const ack = monoNow()
    const start = (await startsFile.waitFor([key], 30_000)).get(key)!
    acked.push(start - ack)
    written.push(start - write)
    return start - sent
  }
  /** events/s: `count` PUTs at c=16, from the first send to the last handler start. */
  const burst = async (
    prefix: string,
    count: number
  ): Promise<{ events: number; puts: number; cpu: CpuSpent; load: number; born: { count: number; cpuMs: number } }> => {
    const keys = Array.from({ length: count }, (_, i) => `${prefix}${i}`)
    const cpuBefore = cpuSnapshot(server.pid)
    const started = monoNow()
    await forEachConcurrent(keys.length, 16, async (i) => {
      await client.ok('PUT', objectPath(keys[i]!), { body })
    })
    const acked = monoNow()
    const starts = await startsFile.waitFor(keys, 120_000)
    const cpuAfter = cpuSnapshot(server.pid)
    const cpu = cpuSpent(cpuBefore, cpuAfter)
    const born = { count: 0, cpuMs: 0 }
    for (const [pid, ms] of cpuAfter.children)
      if (!cpuBefore.children.has(pid)) {
        born.count++
        born.cpuMs += ms
      }
    return {
      born,
      events: count / ((Math.max(...keys.map((k) => starts.get(k)!)) - started) / 1000),
      puts: count / ((acked - started) / 1000),
      cpu,
      load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
    }
  }

  /** The same PUTs where no trigger matches (the event is still queued and recorded). */
  const plainBurst = async (count: number): Promise<{ puts: number; cpu: CpuSpent }> => {
    const before = cpuSnapshot(server.pid)
    const started = monoNow()
    await forEachConcurrent(count, 16, async (i) => {
      await client.ok('PUT', objectPath(`plain/${i}`), { body })
    })
    const puts = count / ((monoNow() - started) / 1000)
    return { puts, cpu: cpuSpent(before, cpuSnapshot(server.pid)) }
  }

  try {
    await client.createBucket()
    // Cold: the first event for a fresh function (its process is spawned for it).
    const cold: number[] = []
    for (let f = 0; f < COLD_FUNCTIONS; f++) {
      await createFunction(`bench-cold-${f}`, `cold${f}/`)
      cold.push(await putAndWait(`cold${f}/first`))
    }

    // Warm: sequential PUTs to a function whose instance is already running.
    await createFunction('bench-noop', 'hot/')
    for (let i = 0; i < 20; i++) await putAndWait(`hot/warmup/${i}`)
    const warm: number[] = []
    acked.length = 0
    written.length = 0
    const samples = Math.min(options.count, 300)
    for (let i = 0; i < samples; i++) {
      // A short pause lets the previous invocation finish its bookkeeping: each sample is
      // one event reaching an idle warm instance.
      await new Promise((resolve) => setTimeout(resolve, WARM_GAP_MS))
      warm.push(await putAndWait(`hot/warm/${i}`))
    }
    warm.sort((a, b) => a - b)
    const warmAfterAck = [...acked].sort((a, b) => a - b)
    const warmFromWrite = [...written].sort((a, b) => a - b)

    // Throughput, after a smaller burst has started the instance pool (and the client's own
    // request path is compiled: against the null server, not this one).
    if (!options.coldClient) await warmClient()
    await burst('hot/pool/', 64)
    const { events: eventsPerSec, puts: burstPutsPerSec, cpu, load, born } = await burst('hot/burst/', options.count)
    // V8 goes on optimizing the server over the first few thousand events (bench/bus-cpu.ts):
    // two more bursts, uncounted, then the steady-state one.
    for (const round of [1, 2]) await burst(`hot/more${round}/`, options.count)
    const steady = await burst('hot/steady/', options.count)
    const plain = await plainBurst(options.count)
    const perEvent = (ms: number): number => (ms * 1000) / options.count
    return {
      coldMs: median(cold),
      coldSamples: cold.length,
      warmP50Ms: percentile(warm, 0.5),
      warmP99Ms: percentile(warm, 0.99),
      warmFromWriteP50Ms: percentile(warmFromWrite, 0.5),
      warmFromWriteP99Ms: percentile(warmFromWrite, 0.99),
      warmAfterAckP50Ms: percentile(warmAfterAck, 0.5),
      warmAfterAckP99Ms: percentile(warmAfterAck, 0.99),
      warmSamples: warm.length,
      eventsPerSec,
      burstPutsPerSec,
      burstEvents: options.count,
      burstCpuUsPerEvent: {
        server: perEvent(cpu.serverMs),
        functions: perEvent(cpu.childrenMs),
        client: perEvent(cpu.clientMs)
      },
      burstLoad: load,
      burstNewProcesses: born,
      steady: {
        eventsPerSec: steady.events,
        putsPerSec: steady.puts,
        cpuUsPerEvent: {
          server: perEvent(steady.cpu.serverMs),
          functions: perEvent(steady.cpu.childrenMs),
          client: perEvent(steady.cpu.clientMs)
        },
        load: steady.load
      },
      plainPutsPerSec: plain.puts,
      plainCpuUsPerPut: { server: perEvent(plain.cpu.serverMs), client: perEvent(plain.cpu.clientMs) }
    }
  } finally {
    client.close()
    rmSync(fnDir, { recursive: true, force: true })
    rmSync(outFile, { force: true })
  }
}
