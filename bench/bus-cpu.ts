/**
 * `node bin/tsx.js bench/bus-cpu.ts [bursts] [--count N] [--warm BURSTS] [--cli FILE] [--perf FILE] [--cpu-prof DIR] [--sql-stats FILE] [--shares] [--stdout FILE] [--alloc FILE] [--cold-client] [--pool N]`:
 * CPU per event of the bus, split by process (COS Local's threads, its function processes, this
 * client), over `bursts` bursts of N PUTs at c=16 that each match a no-op Node function's COS
 * trigger (the `events` bench's burst, without its cold and warm phases). Each burst is counted
 * until every handler has started and the server has gone quiet again (its attempt ends and
 * their commits included). CPU per event moves far less with the machine's load than events/s,
 * so two builds can be compared side by side (`--cli` another copy of out/main/cli.js).
 * `--perf FILE` records the server with Linux perf during the bursts (see put-cpu.ts);
 * `--cpu-prof DIR` has it write a V8 CPU profile (whole run; read with profile-top.ts).
 * `--sql-stats FILE` preloads sql-stats.cjs into the server: how often each statement ran over
 * the counted bursts, its time, and the WAL frames its COMMITs wrote (per event: ÷ bursts × N).
 * `--shares` prints each function process's CPU in each burst (how many instances took part).
 * `--stdout FILE` writes what the server printed, a marker line before each counted burst's part
 * (with $COS_BENCH_SERVER_FLAGS="--trace-opt --trace-deopt": what V8 compiled in which burst).
 * The `faults` rows are the server's minor page faults per event (main thread, other threads).
 * `--pool N` (64): the uncounted burst that starts the function's instances (0: none, the
 * first counted burst is the function's first invocations after the server's start).
 * The client warms its own request path against the null server first (not with --cold-client).
 * `--alloc FILE` samples what the server allocates during the counted bursts (its inspector, V8's
 * sampling heap profiler with collected objects kept) and writes bytes per event by function.
 */
import { execFile } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Client, objectPath } from './client.ts'
import { forEachConcurrent } from './load.ts'
import { addNoopFunction, warmClient } from './events.ts'
import { cpuSnapshot, cpuSpent } from './proc-cpu.ts'
import { heapSampler } from './heap-sampling.ts'
import { PEERS, startServer, type Peer } from './servers.ts'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const args = process.argv.slice(2)
const bursts = Number(args.find((a) => /^\d+$/.test(a)) ?? 3)
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const count = Number(option('--count') ?? 1000)
/** Bursts run first and not counted (V8 compiles the hot paths during the first few thousand events). */
const warm = Number(option('--warm') ?? 0)
const cli = option('--cli')
const perfFile = option('--perf')
const profDir = option('--cpu-prof')
const sqlStats = option('--sql-stats')
const allocFile = option('--alloc')
const peer: Peer = cli
  ? { ...PEERS.cosLocal, command: (dir) => [cli, ...PEERS.cosLocal.command(dir).slice(1)] }
  : PEERS.cosLocal

const run = promisify(execFile)
const dataDir = mkdtempSync(join(tmpdir(), 'cos-bus-cpu-'))
const fnDir = `${dataDir}-fn`
const outFile = `${dataDir}-starts.txt`
writeFileSync(outFile, '')

if (sqlStats) process.env.COS_SQL_STATS = sqlStats
const nodeArgs = [
  ...(sqlStats ? ['--require', join(root, 'bench', 'sql-stats.cjs')] : []),
  ...(perfFile ? ['--perf-basic-prof'] : []),
  ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
  ...(allocFile ? ['--inspect=127.0.0.1:0'] : [])
]
const server = await startServer(peer, dataDir, nodeArgs)
const cosLocal = async (...command: string[]): Promise<void> =>
  void (await run(process.execPath, [join(root, 'bin', 'cos-local.js'), ...command, '--data', dataDir]))
const client = new Client(server.port, 16)
const body = Buffer.from('event')

/** Handler starts so far (lines in the starts file). */
const started = (): number => {
  const text = readFileSync(outFile, 'latin1')
  let lines = 0
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++
  return lines
}

/** The server's CPU ms by thread name ('main' for the main thread; threads of one name summed), /proc/PID/task/TID/stat. */
function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10)
      // minor page faults (field 10), ≈ 11.5 µs each in this VM (FINDINGS, cold start)
      const faults = `faults ${tid === String(pid) ? 'main' : 'other'}`
      byName.set(faults, (byName.get(faults) ?? 0) + Number(fields[7]))
    } catch {
      // the thread ended
    }
  }
  return byName
}

/** Until the server's CPU stops moving for `quietMs` (its attempt ends are committed). */
async function settle(quietMs = 300): Promise<void> {
  let last = server.cpuMs()
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs))
    const now = server.cpuMs()
    if (now - last <= 10) return
    last = now
  }
}

let sent = 0
async function burst(n: number): Promise<{ eventsPerSec: number; us: Record<string, number> }> {
  const from = sent
  sent += n
  const expected = started() + n
  const before = cpuSnapshot(server.pid)
  const threadsBefore = threadCpu(server.pid)
  const t0 = performance.now()
  await forEachConcurrent(n, 16, async (i) => void (await client.ok('PUT', objectPath(`bus/${from + i}`), { body })))
  while (started() < expected) await new Promise((resolve) => setTimeout(resolve, 2))
  const elapsed = performance.now() - t0
  await settle()
  const after = cpuSnapshot(server.pid)
  const spent = cpuSpent(before, after)
  if (args.includes('--shares')) {
    // (a process started during the burst marked with '+': an instance or a spare runtime)
    const shares = [...after.children].map(
      ([pid, ms]) => `${before.children.has(pid) ? '' : '+'}${Math.round(ms - (before.children.get(pid) ?? 0))}`
    )
    console.log(`  function processes' CPU ms in the burst: ${shares.join(' ')}`)
  }
  const threads = threadCpu(server.pid)
  const per = (ms: number): number => Math.round((ms * 1000) / n)
  const us: Record<string, number> = { server: per(spent.serverMs) }
  for (const [name, ms] of threads)
    if (!name.startsWith('faults')) us[`  ${name}`] = per(ms - (threadsBefore.get(name) ?? 0))
  // page faults per event (the per(ms) scale × 1000 undone)
  for (const [name, faults] of threads)
    if (name.startsWith('faults')) us[name] = Math.round(((faults - (threadsBefore.get(name) ?? 0)) * 10) / n) / 10
  us.functions = per(spent.childrenMs)
  us.client = per(spent.clientMs)
  return { eventsPerSec: n / (elapsed / 1000), us }
}

try {
  await client.createBucket()
  await addNoopFunction(cosLocal, { name: 'bus-noop', fnDir, outFile })
  // this client's own request path compiled against the null server first (its CPU per event counts too)
  if (!args.includes('--cold-client')) await warmClient()
  // the instance pool started by a smaller burst first (--pool 0: the first counted burst is the function's first)
  const pool = Number(option('--pool') ?? 64)
  if (pool > 0) {
    await burst(pool)
    await settle()
  }
  for (let b = 0; b < warm; b++) await burst(count)
  const perf = perfFile
    ? spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(server.pid), '-o', perfFile], {
        stdio: 'ignore'
      })
    : undefined
  // the statements of the counted bursts only: SIGUSR2 writes what came before (to the file) and starts over
  if (sqlStats) process.kill(server.pid, 'SIGUSR2')
  const sampler = allocFile ? await heapSampler(() => server.errors()) : undefined
  await sampler?.start()
  const results = []
  const outputAt: number[] = []
  for (let b = 0; b < bursts; b++) {
    outputAt.push(server.output().length)
    results.push(await burst(count))
  }
  if (sampler && allocFile) {
    // bytes allocated per event by allocating function, over the counted bursts
    const { total, top } = await sampler.stop()
    sampler.close()
    const events = bursts * count
    const lines = [`${Math.round(total / events)} bytes allocated per event (sampled), by function:`]
    for (const [name, bytes] of top.slice(0, 60))
      lines.push(`${String(Math.round(bytes / events)).padStart(7)}  ${name}`)
    writeFileSync(allocFile, lines.join('\n') + '\n')
  }
  const stdoutFile = option('--stdout')
  if (stdoutFile) {
    // what the server printed (V8's --trace-opt / --trace-deopt too), each counted burst after a marker line
    const text = server.output()
    outputAt.push(text.length)
    const parts = [text.slice(0, outputAt[0])]
    for (let b = 0; b < bursts; b++) parts.push(`=== burst ${b + 1}\n`, text.slice(outputAt[b], outputAt[b + 1]))
    writeFileSync(stdoutFile, parts.join(''))
  }
  if (sqlStats) {
    writeFileSync(sqlStats, '')
    process.kill(server.pid, 'SIGUSR2')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (perf) await new Promise((resolve) => perf.once('exit', resolve).kill('SIGINT'))
  console.log(
    `${cli ?? 'out/main/cli.js'}: ${bursts} × ${count} events at c=16 (after ${warm} uncounted), load ${loadavg()[0]!.toFixed(2)}`
  )
  for (const name of Object.keys(results[0]!.us)) {
    const values = results.map((result) => result.us[name] ?? 0)
    const sorted = [...values].sort((a, b) => a - b)
    console.log(
      `  ${name.padEnd(22)} ${values.join(' / ').padStart(24)} ${name.startsWith('faults') ? 'per event' : 'µs/event'} (median ${sorted[sorted.length >> 1]})`
    )
  }
  console.log(`  events/s               ${results.map((r) => Math.round(r.eventsPerSec)).join(' / ')}`)
} finally {
  client.close()
  await server.stop()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(fnDir, { recursive: true, force: true })
  rmSync(outFile, { force: true })
}
