/**
 * `node bin/tsx.js bench/fn-cpu.ts [bursts] [--count N] [--window N] [--src DIR] [--max-instances N]
 * [--shares] [--child-prof DIR | --perf FILE | --strace FILE]`: the function side of the bus alone.
 * A FunctionRunner (the server's code, from this tree or from `--src DIR`, another checkout's
 * `main/`) runs a no-op Node function (bench/events.ts's HANDLER) on SCF COS events, N
 * invocations per burst with `--window` (64) in flight, as the bus hands deliveries to the
 * runner; it reports the CPU per invocation of the function processes and of this process (the
 * runner's side of the IPC, run logs, timers and the harness itself). `--shares` prints each
 * function process's CPU per burst; `--child-prof DIR` writes V8 CPU profiles of the function
 * processes, `--perf FILE` records them with Linux perf (JS frames named), `--strace FILE` counts
 * their system calls. Two trees can run alternately on the same machine state for an A/B that
 * holds under load.
 */
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { buildScfCosEvent as buildEvent } from '../main/core/events/scf-cos-event.ts'
import type { FunctionRunner as Runner } from '../main/functions/runner.ts'
import { HANDLER } from './events.ts'
import { cpuSnapshot, cpuSpent } from './proc-cpu.ts'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const args = process.argv.slice(2)
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const bursts = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? 5)
const count = Number(option('--count') ?? 2000)
// the bus hands the runner every delivery at once: a burst's backlog is ≈ 100+ invocations, not c=16
const window = Number(option('--window') ?? 64)
const src = resolve(option('--src') ?? join(root, 'main'))
const childProf = option('--child-prof')
const perfFile = option('--perf')
const straceFile = option('--strace')

const { FunctionRunner } = (await import(pathToFileURL(join(src, 'functions', 'runner.ts')).href)) as {
  FunctionRunner: typeof Runner
}
const { buildScfCosEvent } = (await import(pathToFileURL(join(src, 'core', 'events', 'scf-cos-event.ts')).href)) as {
  buildScfCosEvent: typeof buildEvent
}

const dir = mkdtempSync(join(tmpdir(), 'cos-fn-cpu-'))
const codeDir = join(dir, 'fn')
const outFile = join(dir, 'starts.txt')
mkdirSync(codeDir)
writeFileSync(join(codeDir, 'index.js'), HANDLER)
writeFileSync(outFile, '')
let nodeCommand: string | undefined
if (childProf || perfFile) {
  if (childProf) mkdirSync(childProf, { recursive: true })
  // (--cpu-prof writes its profile on a normal exit: SIGINT ends the process with one)
  writeFileSync(join(dir, 'exit-on-sigint.cjs'), "process.on('SIGINT', () => process.exit(0))\n")
  const flags = childProf
    ? `--cpu-prof --cpu-prof-dir=${resolve(childProf)} --require ${join(dir, 'exit-on-sigint.cjs')}`
    : '--perf-basic-prof'
  nodeCommand = join(dir, 'node-prof.sh')
  writeFileSync(nodeCommand, `#!/bin/sh\nexec ${process.execPath} ${flags} "$@"\n`)
  chmodSync(nodeCommand, 0o755)
}

const runner: Runner = new FunctionRunner({
  appid: '1250000000',
  region: 'ap-guangzhou',
  now: () => Date.now(),
  nodeCommand,
  ...(option('--max-instances') ? { maxInstances: Number(option('--max-instances')) } : {})
})
const spec = {
  config: {
    name: 'bench-noop',
    namespace: 'default',
    runtime: 'nodejs' as const,
    handler: 'index.main_handler',
    memory: 128,
    timeout: 3,
    env: { BENCH_OUT: outFile },
    retryNum: 2,
    description: ''
  },
  codeDir,
  revision: 'r1'
}

let seq = 0
function event(): unknown {
  const n = seq++
  return buildScfCosEvent(
    {
      bucket: 'bench-1250000000',
      region: 'ap-guangzhou',
      key: `bus/${n}`,
      name: 'cos:ObjectCreated:Put',
      size: 5,
      etag: '"0123456789abcdef0123456789abcdef"',
      versionId: '',
      meta: { 'Content-Type': 'application/octet-stream', 'x-cos-meta-a': 'b' },
      requestId: `NWY${n.toString(16).padStart(12, '0')}`,
      time: Date.now(),
      sourceIp: '127.0.0.1',
      authorization:
        'q-sign-algorithm=sha1&q-ak=AKIDEXAMPLE&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature=0123456789abcdef0123456789abcdef01234567'
    },
    {
      appid: '1250000000',
      namespace: 'default',
      functionName: 'bench-noop',
      qualifier: '$LATEST',
      functionRegion: 'ap-guangzhou',
      reqid: n,
      notificationId: 'trigger-1'
    }
  )
}

async function burst(n: number): Promise<{ fn: number; runner: number; perSec: number }> {
  const before = cpuSnapshot(process.pid)
  const t0 = performance.now()
  let next = 0
  let lines = 0
  await new Promise<void>((done) => {
    let active = 0
    const launch = (): void => {
      while (active < window && next < n) {
        active++
        const id = `req-${seq}-${next++}`
        void runner.run(spec, { requestId: id, event: event(), onLine: () => void lines++ }).then((result) => {
          if (result.outcome !== 'succeeded') throw new Error(`invocation ${result.outcome}: ${result.message}`)
          active--
          if (next < n) launch()
          else if (active === 0) done()
        })
      }
    }
    launch()
  })
  const elapsed = performance.now() - t0
  const spent = cpuSpent(before, cpuSnapshot(process.pid))
  const per = (ms: number): number => Math.round((ms * 1000) / n)
  if (lines < n * 4) throw new Error(`only ${lines} run-log lines for ${n} invocations`)
  const after = cpuSnapshot(process.pid)
  const shares = [...after.children].map(([pid, ms]) => Math.round(ms - (before.children.get(pid) ?? 0)))
  if (args.includes('--shares')) console.log(`  function processes' CPU ms: ${shares.join(' ')}`)
  return { fn: per(spent.childrenMs), runner: per(spent.clientMs), perSec: n / (elapsed / 1000) }
}

try {
  await burst(200)
  const children = [...cpuSnapshot(process.pid).children.keys()]
  const perf = perfFile
    ? spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', children.join(','), '-o', perfFile], {
        stdio: 'ignore'
      })
    : straceFile
      ? spawn('strace', ['-c', '-f', '-o', straceFile, ...children.flatMap((pid) => ['-p', String(pid)])], {
          stdio: 'ignore'
        })
      : undefined
  if (perf) await new Promise((resolve) => setTimeout(resolve, 500))
  const results = []
  for (let b = 0; b < bursts; b++) results.push(await burst(count))
  if (perf) await new Promise((resolve) => perf.once('exit', resolve).kill('SIGINT'))
  // --cpu-prof writes its profile when the process exits normally: disconnect, then wait
  if (childProf) {
    for (const pid of children) process.kill(pid, 'SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!
  const row = (name: string, values: number[], unit: string): void =>
    console.log(`  ${name.padEnd(10)} ${values.join(' / ').padStart(36)} ${unit} (median ${median(values)})`)
  console.log(`${src}: ${bursts} × ${count} invocations, ${window} in flight, load ${loadavg()[0]!.toFixed(2)}`)
  row(
    'functions',
    results.map((r) => r.fn),
    'µs/invocation'
  )
  row(
    'runner',
    results.map((r) => r.runner),
    'µs/invocation'
  )
  row(
    'per s',
    results.map((r) => Math.round(r.perSec)),
    'invocations/s'
  )
  const starts = readFileSync(outFile, 'latin1').split('\n').length - 1
  if (starts !== seq) throw new Error(`${starts} handler starts for ${seq} invocations`)
} finally {
  await runner.stop()
  rmSync(dir, { recursive: true, force: true })
}
