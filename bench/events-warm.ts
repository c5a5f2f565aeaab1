/**
 * Warm event latency, many samples, A/B: the events bench's warm measurement (a PUT to a key a
 * COS trigger of a no-op Node function matches, after `--gap` ms idle) next to the same PUT where
 * no trigger matches, and both back to back (no idle), for one or more builds of COS Local running
 * side by side. Samples alternate between the builds, so a change of the machine's load hits them
 * alike.
 *
 *   node bin/tsx.js bench/events-warm.ts [--samples 500] [--gap 20] [--null] [--trace DIR]
 *        [--bundle NAME=path/to/out/main/cli.js ...]   # default: this tree's out/main/cli.js
 *        [--warmup NAME=N] [--server-args NAME="--node-flags"] [--cold N]
 *
 * Prints, per build, p50 / p90 / p99 in ms of: trigger PUT sent → handler start (and from when
 * node:http writes the PUT to its socket, the client's own request building left out), its PUT's own
 * latency (sent → response), the PUT without a trigger after the same idle gap, and both back
 * to back, and the server's CPU time (schedstat) and minor page faults per idle sample.
 * `--null` adds the null node:http server's PUT after the idle gap (the floor).
 * `--cold N` first times N cold starts per build, as the events bench does: a new function (and
 * its trigger) created through the CLI, then the first PUT for it sent → its handler start.
 * `--trace DIR` saves every timed PUT (client.json: build, key, series, sent, acked, handler
 * start, ms on the monotonic clock) and, from a build instrumented to write one, the file the server wrote
 * to $LAT_TRACE at exit (NAME-trace.json), to line the server's own marks up with the client's.
 */
import { execFile } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BUCKET, Client, objectPath } from './client.ts'
import { addNoopFunction, StartsFile, monoNow } from './events.ts'
import { percentile } from './load.ts'
import { namedOptions, splitFlags } from './options.ts'
import { CLI_BUNDLE, PEERS, startServer, type Peer, type RunningServer } from './servers.ts'

const run = promisify(execFile)

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const samples = Number(option('samples') ?? 500)
const gapMs = Number(option('gap') ?? 20)
/** (A bucket takes 10 trigger rules: the warm function's and at most 9 cold ones.) */
const colds = Math.min(9, Number(option('cold') ?? 0))
const traceDir = option('trace')
/**
 * `--server-args NAME="flags"`: Node flags for that build's server, e.g. "--trace-deopt" (its
 * output goes to DIR/NAME-stdout.txt with --trace).
 */
const serverArgs = new Map([...namedOptions('--server-args')].map(([name, flags]) => [name, splitFlags(flags)]))
const bundles = [...namedOptions('--bundle')].map(([name, path]) => ({ name, path }))
/** `--warmup NAME=N`: N back-to-back trigger PUTs and N plain ones first (default 30 each). */
const warmups = new Map([...namedOptions('--warmup')].map(([name, count]) => [name, Number(count)]))
if (bundles.length === 0) bundles.push({ name: 'this tree', path: CLI_BUNDLE })

/**
 * The server's minor page faults and CPU ms so far: all threads (user + system) and the main
 * thread alone, from /proc/PID/task/TID/schedstat (nanoseconds on the CPU). Not utime + stime of
 * /proc/PID/stat: those are sampled at the scheduler tick (10 ms per hit), which misattributes the
 * short runs of an idle server by whole ticks.
 */
function faultsAndCpu(pid: number): { faults: number; cpuMs: number; mainMs: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3: minflt is field 10
  const onCpuMs = (tid: string): number => {
    try {
      return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]) / 1e6
    } catch {
      return 0 // the thread ended meanwhile
    }
  }
  let cpuMs = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) cpuMs += onCpuMs(tid)
  return { faults: Number(fields[7]), cpuMs, mainMs: onCpuMs(String(pid)) }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

/** Every timed PUT: the target, its key, the series, sent / acked / handler start (wall ms). */
const timings: [string, string, string, number, number, number?][] = []

interface Target {
  name: string
  server: RunningServer
  client: Client
  starts?: StartsFile
  series: Map<string, number[]>
  bundle: string
  /** How much the server had printed when the warm-up ended. */
  warmOutput?: number
}

function record(target: Target, series: string, ms: number): void {
  let list = target.series.get(series)
  if (!list) target.series.set(series, (list = []))
  list.push(ms)
}

/** sent: before the request is built; written: as node:http hands it to its socket (see Client's onWrite). */
async function putTimed(target: Target, key: string): Promise<{ sent: number; written: number; acked: number }> {
  const sent = monoNow()
  let written = NaN
  await target.client.ok('PUT', objectPath(key), { body: Buffer.from('event'), onWrite: () => (written = monoNow()) })
  return { sent, written, acked: monoNow() }
}

async function startCosLocal(name: string, bundle: string, work: string): Promise<Target> {
  const peer: Peer = {
    ...PEERS.cosLocal,
    command: (dir) => [bundle, ...PEERS.cosLocal.command(dir).slice(1)],
    env: traceDir ? { LAT_TRACE: join(work, `${name.replace(/\W+/g, '-')}-trace.json`) } : {}
  }
  const dataDir = join(work, `${name.replace(/\W+/g, '-')}-data`)
  mkdirSync(dataDir, { recursive: true })
  const server = await startServer(peer, dataDir, serverArgs.get(name) ?? [])
  const client = new Client(server.port, 4)
  await client.createBucket()
  const slug = name.replace(/\W+/g, '-')
  const outFile = join(work, `${slug}-starts.txt`)
  const cli = (...args: string[]) => run(process.execPath, [bundle, ...args, '--data', dataDir])
  await addNoopFunction(cli, { name: 'warm-noop', fnDir: join(work, `${slug}-fn`), outFile, prefix: 'hot/' })
  return { name, bundle, server, client, starts: new StartsFile(outFile), series: new Map() }
}

/** Waits for the handlers of `keys`; when some never start, prints what COS Local says of them. */
async function waitOrExplain(t: Target, keys: string[]): Promise<void> {
  try {
    await t.starts!.waitFor(keys, 60_000)
  } catch (error) {
    const missing = keys.filter((key) => !t.starts!.starts.has(key))
    console.error(`${t.name}: ${(error as Error).message}`)
    for (const key of missing.slice(0, 3)) {
      const { stdout } = await run(process.execPath, [t.bundle, 'explain', BUCKET, key, '--data', t.server.dataDir])
      console.error(stdout)
    }
    console.error(t.server.errors())
    throw error
  }
}

const work = mkdtempSync(join(tmpdir(), 'events-warm-'))
const targets: Target[] = []
try {
  for (const { name, path } of bundles) targets.push(await startCosLocal(name, path, work))
  if (process.argv.includes('--null')) {
    const server = await startServer(PEERS.nullServer, join(work, 'null'))
    targets.push({ name: 'null server', bundle: '', server, client: new Client(server.port, 4), series: new Map() })
  }
  console.log(`load at start: ${load()}; ${samples} samples, ${gapMs} ms gap`)

  // cold starts: a new function, then its first event
  for (let i = 0; i < colds; i++) {
    for (const t of i % 2 === 0 ? targets : [...targets].reverse()) {
      if (!t.starts) continue
      const slug = t.name.replace(/\W+/g, '-')
      const cli = (...args: string[]) => run(process.execPath, [t.bundle, ...args, '--data', t.server.dataDir])
      await addNoopFunction(cli, {
        name: `cold-${i}`,
        fnDir: join(work, `${slug}-cold-${i}`),
        outFile: join(work, `${slug}-starts.txt`),
        prefix: `cold/${i}/`
      })
      const key = `cold/${i}/first`
      const { sent, acked } = await putTimed(t, key)
      await waitOrExplain(t, [key])
      const start = t.starts.starts.get(key)!
      timings.push([t.name, key, 'cold', sent, acked, start])
      record(t, 'cold sent→handler', start - sent)
    }
  }

  const triggerPut = async (t: Target, key: string, series: string): Promise<void> => {
    const { sent, written, acked } = await putTimed(t, key)
    await waitOrExplain(t, [key])
    const start = t.starts!.starts.get(key)!
    timings.push([t.name, key, series, sent, acked, start])
    record(t, `${series} sent→handler`, start - sent)
    record(t, `${series} written→handler`, start - written)
    record(t, `${series} PUT`, acked - sent)
  }
  // warm-up: instances started, code paths compiled
  for (const t of targets) {
    const count = warmups.get(t.name) ?? 30
    for (let i = 0; i < count; i++) {
      if (t.starts) await triggerPut(t, `hot/warmup/${i}`, 'warmup')
      await putTimed(t, `plain/warmup/${i}`)
    }
    for (const series of t.series.keys()) if (!series.startsWith('cold')) t.series.delete(series)
    t.warmOutput = t.server.output().length
  }
  const before = new Map(targets.map((t) => [t, faultsAndCpu(t.server.pid)]))
  for (let i = 0; i < samples; i++) {
    for (const t of i % 2 === 0 ? targets : [...targets].reverse()) {
      await sleep(gapMs)
      if (t.starts) await triggerPut(t, `hot/warm/${i}`, 'idle trigger')
      await sleep(gapMs)
      const { sent, acked } = await putTimed(t, `plain/idle/${i}`)
      timings.push([t.name, `plain/idle/${i}`, 'idle no-trigger', sent, acked])
      record(t, 'idle no-trigger PUT', acked - sent)
    }
  }
  const idleCost = new Map(
    targets.map((t) => {
      const after = faultsAndCpu(t.server.pid)
      const start = before.get(t)!
      return [
        t,
        {
          faults: (after.faults - start.faults) / samples,
          cpuUs: ((after.cpuMs - start.cpuMs) * 1000) / samples,
          mainUs: ((after.mainMs - start.mainMs) * 1000) / samples
        }
      ]
    })
  )
  // back to back: the next PUT as soon as the previous one's response arrived
  const b2b = Math.min(samples, 300)
  for (const t of targets) {
    if (t.starts) {
      const keys: string[] = []
      for (let i = 0; i < b2b; i++) {
        const key = `hot/b2b/${i}`
        keys.push(key)
        const { sent, acked } = await putTimed(t, key)
        timings.push([t.name, key, 'b2b trigger', sent, acked])
        record(t, 'b2b trigger PUT', acked - sent)
      }
      await waitOrExplain(t, keys)
      await sleep(100)
    }
    for (let i = 0; i < b2b; i++) {
      const { sent, acked } = await putTimed(t, `plain/b2b/${i}`)
      timings.push([t.name, `plain/b2b/${i}`, 'b2b no-trigger', sent, acked])
      record(t, 'b2b no-trigger PUT', acked - sent)
    }
  }
  console.log(`load at end: ${load()}`)
  for (const t of targets) {
    const cost = idleCost.get(t)!
    console.log(
      `\n${t.name} (idle samples, per sample of ${t.starts ? 'two PUTs' : 'one PUT'}: server CPU ${cost.cpuUs.toFixed(0)} µs (main thread ${cost.mainUs.toFixed(0)}), ${cost.faults.toFixed(1)} minor faults)`
    )
    for (const [series, values] of t.series) {
      const sorted = [...values].sort((a, b) => a - b)
      const f = (p: number): string => percentile(sorted, p).toFixed(2)
      console.log(`  ${series.padEnd(28)} p50 ${f(0.5)}  p90 ${f(0.9)}  p99 ${f(0.99)}  (n=${sorted.length})`)
    }
  }
} finally {
  for (const t of targets) {
    t.client.close()
    await t.server.stop()
    if (traceDir && t.starts) {
      mkdirSync(traceDir, { recursive: true })
      const output = t.server.output()
      const name = t.name.replace(/\W+/g, '-')
      writeFileSync(join(traceDir, `${name}-stdout-warmup.txt`), output.slice(0, t.warmOutput))
      writeFileSync(join(traceDir, `${name}-stdout.txt`), output.slice(t.warmOutput))
    }
  }
  if (traceDir) {
    mkdirSync(traceDir, { recursive: true })
    writeFileSync(join(traceDir, 'client.json'), JSON.stringify(timings))
    for (const { name } of bundles) {
      const file = join(work, `${name.replace(/\W+/g, '-')}-trace.json`)
      if (existsSync(file)) copyFileSync(file, join(traceDir, `${name.replace(/\W+/g, '-')}-trace.json`))
    }
  }
  rmSync(work, { recursive: true, force: true })
}
