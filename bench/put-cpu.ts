/**
 * `node bin/tsx.js bench/put-cpu.ts [seconds] [--c N] [--peer cos|null|fsync|http] [--warm S] [--cli FILE] [--pin S,C] [--perf FILE [--perf-event E]]`:
 * a peer's CPU per 4 KiB PUT, split by thread (main, WAL checkpointer, libuv pool, V8 helpers),
 * from /proc/PID/task/TID/stat deltas over a closed-loop load. Robust under load: CPU per
 * request moves far less with it than ops/s. `--perf FILE` also records the server with Linux
 * `perf` (cpu-clock: samples only while on a core, so a busy machine does not charge waiting
 * to whatever ran last, as V8's --cpu-prof does) with V8's symbol map, for
 * `--peer http` is COS Local's HTTP side alone (bench/peers/cos-http-only.ts: no commit).
 * `perf report -i FILE --no-children --sort sym`; `--perf-event page-faults` records every page fault
 * instead (a minor fault costs ≈ 10 µs in this VM). Also prints the minor page faults per PUT.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, objectPath } from './client.ts'
import { runLoad } from './load.ts'
import { PEERS, startServer, type Peer } from './servers.ts'

const args = process.argv.slice(2)
const seconds = Number(args.find((a) => /^\d+$/.test(a)) ?? 5)
const cIndex = args.indexOf('--c')
const concurrency = cIndex >= 0 ? Number(args[cIndex + 1]) : 16
const peerArg = args.includes('--peer') ? args[args.indexOf('--peer') + 1] : undefined
const chosen =
  peerArg === 'null'
    ? PEERS.nullServer
    : peerArg === 'fsync'
      ? PEERS.cosLocalFsync
      : peerArg === 'http'
        ? PEERS.cosHttpOnly
        : PEERS.cosLocal
/** `--cli FILE`: another build of the CLI bundle (e.g. a copy of main's, for an A/B run). */
const cliArg = args.indexOf('--cli')
const peer: Peer =
  cliArg >= 0 ? { ...chosen, command: (dir) => [args[cliArg + 1]!, ...chosen.command(dir).slice(1)] } : chosen

/** CPU ms per thread ('main', or name and id), user and system apart. */
function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const label = tid === String(pid) ? 'main' : `${name} ${tid}`
      byName.set(`${label} user`, Number(fields[11]) * 10)
      byName.set(`${label} sys`, Number(fields[12]) * 10)
      byName.set(`${label} faults`, Number(fields[7]))
    } catch {
      // the thread ended
    }
  }
  return byName
}

const perfArg = args.indexOf('--perf')
const perfFile = perfArg >= 0 ? args[perfArg + 1] : undefined
/** `--perf-event page-faults`: record where the main thread takes its page faults instead (every one). */
const eventArg = args.indexOf('--perf-event')
const perfEvent = eventArg >= 0 ? ['-e', args[eventArg + 1]!, '-c', '1'] : ['-e', 'cpu-clock', '-F', '1999']

const dataDir = mkdtempSync(join(tmpdir(), 'cos-bench-'))
const server = await startServer(peer, dataDir, perfFile ? ['--perf-basic-prof'] : [])
/**
 * `--pin S,C`: the server's main thread on CPU S and this client's on CPU C (taskset; the other
 * threads go where the kernel puts them). In this VM every wake-up over loopback TCP puts the
 * woken thread on the waker's CPU, so unpinned runs flip between the two main threads sharing
 * one CPU (slow) and each having one (fast): see bench/FINDINGS.md, session 9, put.
 */
const pinArg = args.indexOf('--pin')
if (pinArg >= 0) {
  const [serverCpu, clientCpu] = args[pinArg + 1]!.split(',')
  for (const [cpu, pid] of [
    [serverCpu, server.pid],
    [clientCpu, process.pid]
  ] as const) {
    const pinned = spawnSync('taskset', ['-p', '-c', cpu!, String(pid)], { encoding: 'utf8' })
    if (pinned.status !== 0) throw new Error(`taskset -p -c ${cpu} ${pid}: ${pinned.stderr}`)
  }
}
const client = new Client(server.port, concurrency)
const body = Buffer.alloc(4096, 7)
await client.createBucket()
const op = async (i: number): Promise<void> => void (await client.ok('PUT', objectPath(`cpu/${i}`), { body }))
// `--warm S` (default 1): a fresh server's first ~10,000 PUTs also fill SQLite's 32 MiB page
// cache, and every page it touches for the first time is a page fault (≈ 3 per PUT at first)
const warmArg = args.indexOf('--warm')
await runLoad(op, concurrency, (warmArg >= 0 ? Number(args[warmArg + 1]) : 1) * 1000, 0)
const perf = perfFile
  ? spawn('perf', ['record', ...perfEvent, '-g', '-p', String(server.pid), '-o', perfFile], {
      stdio: 'ignore'
    })
  : undefined
const before = threadCpu(server.pid)
const result = await runLoad(op, concurrency, seconds * 1000, 0)
const after = threadCpu(server.pid)
if (perf) await new Promise((resolve) => perf.once('exit', resolve).kill('SIGINT'))
client.close()
await server.stop()
rmSync(dataDir, { recursive: true, force: true })

console.log(
  `${peer.name}: c=${concurrency} ${Math.round(result.opsPerSec)} PUT/s, p50 ${result.p50Ms.toFixed(2)} ms, load ${loadavg()[0]!.toFixed(2)}`
)
let total = 0
let faults = 0
for (const [name, value] of after) {
  const delta = value - (before.get(name) ?? 0)
  if (name.endsWith(' faults')) {
    faults += delta
    if (name === 'main faults')
      console.log(`  ${name.padEnd(18)} ${(delta / result.ops).toFixed(2).padStart(6)} per PUT`)
    continue
  }
  total += delta
  if (delta > 0) console.log(`  ${name.padEnd(18)} ${((delta * 1000) / result.ops).toFixed(0).padStart(6)} µs/PUT`)
}
console.log(`  ${'faults, all'.padEnd(18)} ${(faults / result.ops).toFixed(2).padStart(6)} per PUT (minor page faults)`)
console.log(`  ${'total'.padEnd(18)} ${((total * 1000) / result.ops).toFixed(0).padStart(6)} µs/PUT`)
