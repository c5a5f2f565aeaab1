/**
 * `node bin/tsx.js bench/put-modes.ts [--runs N] [--seconds S] [--warm S] [--c N] [--window MS] [--cli FILE] [--peer null] [--pin S,C] [--trace]`:
 * why one build's 4 KiB PUT rate at c=16 swings between runs. Each run starts a fresh server
 * from a copy of the CLI bundle patched to record every group commit (when it started, how many
 * PUTs, how long its commit took) and every GC pause, loads it as put-cpu.ts does, and samples in
 * windows of `--window` ms: the PUTs answered, the server's threads and this client's from
 * /proc/.../schedstat (time on a CPU and time runnable but waiting for one), the CPU each thread
 * last ran on, and their context switches. Per run it prints the windows and a summary, so a
 * fast run and a slow one can be compared figure by figure.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  cpSync,
  fstatSync,
  openSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, objectPath } from './client.ts'
import { runLoad } from './load.ts'
import { numberOption, textOption } from './options.ts'
import { CLI_BUNDLE, PEERS, startServer, type Peer } from './servers.ts'

const runs = numberOption('--runs', 3)
const seconds = numberOption('--seconds', 5)
const warm = numberOption('--warm', 3)
const concurrency = numberOption('--c', 16)
const windowMs = numberOption('--window', 500)
const cli = textOption('--cli', CLI_BUNDLE)
/** `--pin S,C`: for an experiment, the server's main thread on CPU S and this client's on CPU C (taskset). */
const pin = textOption('--pin', '')
/**
 * `--trace`: also record the scheduler's wake-ups and switches machine-wide (`perf record -e
 * sched:…`, root) and count, per window, the wake-ups between the server's main thread and this
 * client that moved the woken thread from the CPU it last ran on to the waker's ("pulled"; and
 * of those, how many left that CPU idle) or left it where it was ("kept").
 */
const trace = process.argv.includes('--trace')

interface Wakeup {
  at: number
  pulled: boolean
  /** The CPU the woken thread left was idle. */
  leftIdle: boolean
  kept: boolean
}

/** The wake-ups between threads `a` and `b` in `perf script` text, times in perf's clock (s). */
function wakeups(text: string, a: string, b: string): Wakeup[] {
  const running = new Map<number, string>()
  const lastCpu = new Map<string, number>()
  const out: Wakeup[] = []
  const line = /^\s*.+?\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(\w+): (.*)$/
  for (const row of text.split('\n')) {
    const m = line.exec(row)
    if (!m) continue
    const [, pid, cpuText, time, event, rest] = m
    const cpu = Number(cpuText)
    if (event === 'sched_switch') {
      const s = /prev_pid=(\d+).* next_pid=(\d+)/.exec(rest!)
      if (s) {
        lastCpu.set(s[1]!, cpu)
        running.set(cpu, s[2]!)
      }
    } else if (event === 'sched_wakeup') {
      const w = /pid=(\d+) prio=\d+ target_cpu=(\d+)/.exec(rest!)
      if (!w) continue
      const wakee = w[1]!
      if (!((pid === a && wakee === b) || (pid === b && wakee === a))) continue
      const prev = lastCpu.get(wakee)
      if (prev === undefined || prev === cpu) continue
      const target = Number(w[2])
      out.push({
        at: Number(time),
        pulled: target === cpu,
        leftIdle: target === cpu && running.get(prev) === '0',
        kept: target === prev
      })
    }
  }
  return out
}

/** What the patched bundle records (appended to the chunk that holds the group commit). */
const RECORDER = `
globalThis.__putModes = (() => {
  const max = 400000
  const at = new Float64Array(max), size = new Uint16Array(max), took = new Float32Array(max)
  const gcAt = [], gcTook = [], gcKind = []
  let n = 0
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { gcAt.push(performance.timeOrigin + e.startTime); gcTook.push(e.duration); gcKind.push(e.detail?.kind ?? 0) }
  }).observe({ entryTypes: ['gc'] })
  process.on('SIGUSR2', () => {
    const out = process.env.PUT_MODES_OUT
    if (!out) return
    require_fs().writeFileSync(out, JSON.stringify({ at: Array.from(at.subarray(0, n)), size: Array.from(size.subarray(0, n)), took: Array.from(took.subarray(0, n)), gcAt, gcTook, gcKind }))
  })
  return (start, units, ms) => { if (n < max) { at[n] = performance.timeOrigin + start; size[n] = units; took[n] = ms; n++ } }
})();
`

/** A copy of the bundle's folder with the recorder in the chunk that holds `createGroupCommit`. */
function patchedBundle(): string {
  const from = join(cli, '..')
  // next to the bundle, so its packages resolve from the same node_modules
  const dir = mkdtempSync(join(from, '..', 'put-modes-bundle-'))
  cpSync(from, dir, { recursive: true })
  const chunk = readdirSync(dir).find(
    (name) => name.endsWith('.js') && readFileSync(join(dir, name), 'utf8').includes('function flush()')
  )
  if (!chunk) throw new Error(`no group commit's flush() in ${from}`)
  let text = readFileSync(join(dir, chunk), 'utf8')
  const site = 'if (commitTogether(batch)) return;'
  if (!text.includes(site)) throw new Error(`the group commit's flush() changed: '${site}' not found`)
  text = text.replace(
    site,
    '{ const __t = performance.now(); const __ok = commitTogether(batch); globalThis.__putModes(__t, batch.length, performance.now() - __t); if (__ok) return; }'
  )
  // the chunk is ESM: fs through createRequire
  text += `\nimport { createRequire as __cr } from 'node:module';\nconst require_fs = () => __cr(import.meta.url)('node:fs');\n${RECORDER}`
  writeFileSync(join(dir, chunk), text)
  return dir
}

interface ThreadSample {
  runNs: number
  waitNs: number
  cpu: number
  voluntary: number
  involuntary: number
  /** Moves to another CPU (se.nr_migrations of /proc/.../sched). */
  migrations: number
}

function threads(pid: number): Map<string, ThreadSample> {
  const out = new Map<string, ThreadSample>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number)
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8')
      const num = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0)
      out.set(tid === String(pid) ? 'main' : tid, {
        runNs: run!,
        waitNs: wait!,
        cpu: Number(fields[36]), // field 39: processor
        voluntary: num('voluntary_ctxt_switches'),
        involuntary: num('nonvoluntary_ctxt_switches'),
        migrations: Number(
          /se\.nr_migrations\s+:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8'))?.[1] ?? 0
        )
      })
    } catch {
      // the thread ended
    }
  }
  return out
}

/** Busy (non-idle) jiffies of each CPU so far, from /proc/stat. */
function cpuBusy(): number[] {
  const out: number[] = []
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+) (.*)$/.exec(line)
    if (!m) continue
    const f = m[2]!.trim().split(/\s+/).map(Number)
    // user nice system idle iowait irq softirq steal
    out[Number(m[1])] = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!
  }
  return out
}

/**
 * What this machine charges for fixed work right now, on-CPU ns per operation (schedstat, so
 * waiting for a CPU is not counted): 4 KiB MD5s (user code) and `fstat` calls (a syscall, where
 * this VM pays for entering the kernel). The VM shows no steal time; if the host slows the
 * same work, these rise with it.
 */
function reference(): { md5: number; syscall: number } {
  const onCpu = (): number => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0])
  const body = Buffer.alloc(4096, 7)
  let t = onCpu()
  for (let i = 0; i < 2000; i++) createHash('md5').update(body).digest()
  const md5 = (onCpu() - t) / 2000
  const fd = openSync('/proc/self/stat', 'r')
  t = onCpu()
  for (let i = 0; i < 5000; i++) fstatSync(fd)
  const syscall = (onCpu() - t) / 5000
  closeSync(fd)
  return { md5, syscall }
}

interface Window {
  busy: number[]
  start: number
  end: number
  ops: number
  server: Map<string, ThreadSample>
  client: Map<string, ThreadSample>
}

const delta = (a: ThreadSample | undefined, b: ThreadSample | undefined): ThreadSample | undefined =>
  a && b
    ? {
        runNs: b.runNs - a.runNs,
        waitNs: b.waitNs - a.waitNs,
        cpu: b.cpu,
        voluntary: b.voluntary - a.voluntary,
        involuntary: b.involuntary - a.involuntary,
        migrations: b.migrations - a.migrations
      }
    : undefined

const pct = (ns: number, ms: number): string => `${((ns / 1e6 / ms) * 100).toFixed(0).padStart(3)}%`
/** A thread's columns of a window's row: on a CPU / waiting for one, the CPU it last ran on, switches, migrations. */
const threadCells = (t: ThreadSample, ms: number): string[] => [
  `${pct(t.runNs, ms)} / ${pct(t.waitNs, ms)}`,
  String(t.cpu).padStart(3),
  String(t.involuntary).padStart(5),
  String(t.migrations).padStart(4)
]

/** `--peer null`: the null server instead (no group commits to record), for its modes. */
const nullPeer = textOption('--peer', 'cos') === 'null'
const bundleDir = nullPeer ? undefined : patchedBundle()
const patchedCli = bundleDir ? join(bundleDir, 'cli.js') : ''
if (bundleDir && !existsSync(patchedCli)) throw new Error(`no cli.js in ${bundleDir}`)
const peer: Peer = nullPeer
  ? PEERS.nullServer
  : { ...PEERS.cosLocal, command: (dir) => [patchedCli, ...PEERS.cosLocal.command(dir).slice(1)] }

reference() // its own code warm before the first run's figures
const summaries: string[] = []
for (let run = 1; run <= runs; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'put-modes-'))
  const outFile = join(dataDir, '..', `put-modes-${process.pid}-${run}.json`)
  process.env.PUT_MODES_OUT = outFile
  const server = await startServer(peer, dataDir)
  if (pin) {
    const [s, c] = pin.split(',')
    // main threads only: the server's other threads (the WAL checkpointer) go where the kernel puts them
    spawnSync('taskset', ['-p', '-c', s!, String(server.pid)], { stdio: 'ignore' })
    spawnSync('taskset', ['-p', '-c', c!, String(process.pid)], { stdio: 'ignore' })
  }
  const client = new Client(server.port, concurrency)
  const body = Buffer.alloc(4096, 7)
  await client.createBucket()
  let answered = 0
  const op = async (i: number): Promise<void> => {
    await client.ok('PUT', objectPath(`cpu/${i}`), { body })
    answered++
  }
  await runLoad(op, concurrency, warm * 1000, 0)
  const refBefore = reference()
  const windows: Window[] = []
  const sample = () => ({
    t: performance.timeOrigin + performance.now(),
    ops: answered,
    server: threads(server.pid),
    client: threads(process.pid),
    busy: cpuBusy()
  })
  let last = sample()
  const timer = setInterval(() => {
    const now = sample()
    const server_ = new Map<string, ThreadSample>()
    for (const [k, v] of now.server) {
      const d = delta(last.server.get(k), v)
      if (d) server_.set(k, d)
    }
    const client_ = new Map<string, ThreadSample>()
    for (const [k, v] of now.client) {
      const d = delta(last.client.get(k), v)
      if (d) client_.set(k, d)
    }
    windows.push({
      busy: now.busy.map((b, i) => b - last.busy[i]!),
      start: last.t,
      end: now.t,
      ops: now.ops - last.ops,
      server: server_,
      client: client_
    })
    last = now
  }, windowMs)
  const traceFile = join(tmpdir(), `put-modes-${process.pid}-${run}.perf`)
  const perf = trace
    ? spawn(
        'perf',
        ['record', '-a', '-e', 'sched:sched_wakeup,sched:sched_switch', '-k', 'CLOCK_MONOTONIC', '-o', traceFile],
        {
          stdio: 'ignore'
        }
      )
    : undefined
  if (perf) await new Promise((r) => setTimeout(r, 300))
  // perf's CLOCK_MONOTONIC times in the windows' clock
  const monoOffset = performance.timeOrigin + performance.now() - Number(process.hrtime.bigint()) / 1e6
  const result = await runLoad(op, concurrency, seconds * 1000, 0)
  clearInterval(timer)
  const refAfter = reference()
  let woken: Wakeup[] = []
  if (perf) {
    await new Promise((resolve) => perf.once('exit', resolve).kill('SIGINT'))
    const script = spawnSync('perf', ['script', '-i', traceFile], { encoding: 'utf8', maxBuffer: 1 << 30 })
    woken = wakeups(script.stdout, String(process.pid), String(server.pid)).map((w) => ({
      ...w,
      at: w.at * 1000 + monoOffset
    }))
    rmSync(traceFile, { force: true })
  }
  if (!nullPeer) {
    process.kill(server.pid, 'SIGUSR2')
    for (let i = 0; i < 100 && !existsSync(outFile); i++) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 100))
  }
  const rec = (
    nullPeer
      ? { at: [], size: [], took: [], gcAt: [], gcTook: [], gcKind: [] }
      : JSON.parse(readFileSync(outFile, 'utf8'))
  ) as {
    at: number[]
    size: number[]
    took: number[]
    gcAt: number[]
    gcTook: number[]
    gcKind: number[]
  }
  rmSync(outFile, { force: true })
  client.close()
  await server.stop()
  rmSync(dataDir, { recursive: true, force: true })

  // the server's busiest threads other than main (the checkpointer first)
  const others = new Map<string, number>()
  for (const w of windows)
    for (const [k, v] of w.server) if (k !== 'main') others.set(k, (others.get(k) ?? 0) + v.runNs)
  const [ckpt] = [...others.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k)
  console.log(
    `run ${run}: c=${concurrency} ${Math.round(result.opsPerSec)} PUT/s, p50 ${result.p50Ms.toFixed(2)} ms, load ${loadavg()[0]!.toFixed(2)}`
  )
  console.log(
    `   t  PUT/s  grp  g<=4 g>=12 commit  gap   srv main run/wait cpu invol migr | ckpt run cpu | client run/wait cpu invol migr | gc ms | cpu0 cpu1 busy, others${trace ? ' | wake-ups pulled (CPU left idle) / kept' : ''}`
  )
  const wakeText = (w: Window): string => {
    const inWindow = woken.filter((x) => x.at >= w.start && x.at < w.end)
    const pulled = inWindow.filter((x) => x.pulled)
    return `${pulled.length} (${pulled.filter((x) => x.leftIdle).length}) / ${inWindow.filter((x) => x.kept).length}`
  }
  const allSizes: number[] = []
  let sumMainRun = 0
  let sumMainWait = 0
  let sumClientRun = 0
  let sumClientWait = 0
  let sameCpu = 0
  let sumMs = 0
  for (const w of windows) {
    const ms = w.end - w.start
    const groups: number[] = []
    let commitMs = 0
    // the longest time between one group commit's end and the next one's start (a WAL start-over
    // holds the commits: bench/FINDINGS.md, session 7; a stall of the event loop shows here too)
    let gapMs = 0
    for (let i = 0; i < rec.at.length; i++)
      if (rec.at[i]! >= w.start && rec.at[i]! < w.end) {
        groups.push(rec.size[i]!)
        commitMs += rec.took[i]!
        if (i > 0) gapMs = Math.max(gapMs, rec.at[i]! - rec.at[i - 1]! - rec.took[i - 1]!)
      }
    allSizes.push(...groups)
    let gcMs = 0
    for (let i = 0; i < rec.gcAt.length; i++)
      if (rec.gcAt[i]! >= w.start && rec.gcAt[i]! < w.end) gcMs += rec.gcTook[i]!
    const mean = groups.length ? groups.reduce((a, b) => a + b, 0) / groups.length : 0
    const main = w.server.get('main')!
    const ck = ckpt ? w.server.get(ckpt) : undefined
    const cl = w.client.get('main')!
    sumMainRun += main.runNs
    sumMainWait += main.waitNs
    sumClientRun += cl.runNs
    sumClientWait += cl.waitNs
    sumMs += ms
    if (main.cpu === cl.cpu) sameCpu++
    console.log(
      [
        ((w.start - windows[0]!.start) / 1000).toFixed(1).padStart(4),
        String(Math.round((w.ops * 1000) / ms)).padStart(6),
        mean.toFixed(1).padStart(4),
        String(groups.filter((g) => g <= 4).length).padStart(5),
        String(groups.filter((g) => g >= 12).length).padStart(5),
        `${((commitMs / ms) * 100).toFixed(0).padStart(5)}%`,
        gapMs.toFixed(1).padStart(5),
        '   ',
        ...threadCells(main, ms),
        ' |',
        ck ? `${pct(ck.runNs, ms)} ${String(ck.cpu).padStart(3)}` : '   -',
        ' |',
        ...threadCells(cl, ms),
        ' |',
        gcMs.toFixed(1).padStart(5),
        ' |',
        // jiffies are 10 ms: busy % per CPU, and what the machine ran besides server and client
        ...w.busy.map((b) => `${((b * 10 * 100) / ms).toFixed(0).padStart(3)}%`),
        `${(((w.busy.reduce((a, b) => a + b, 0) * 10) / ms) * 100 - [...w.server.values(), ...w.client.values()].reduce((a, t) => a + (t.runNs / 1e6 / ms) * 100, 0)).toFixed(0).padStart(4)}%`,
        ...(trace ? [' |', wakeText(w)] : [])
      ].join(' ')
    )
  }
  const hist = new Map<number, number>()
  for (const s of allSizes) hist.set(s, (hist.get(s) ?? 0) + 1)
  const histText = [...hist.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}:${((n * s * 100) / allSizes.reduce((a, b) => a + b, 0)).toFixed(0)}`)
    .join(' ')
  console.log(`   PUTs by group size (size:% of PUTs): ${histText}`)
  const summary = `run ${run}: ${Math.round(result.opsPerSec)} PUT/s, groups ${(allSizes.reduce((a, b) => a + b, 0) / allSizes.length).toFixed(1)}, server main on CPU ${pct(sumMainRun, sumMs)} waiting ${pct(sumMainWait, sumMs)}, client on CPU ${pct(sumClientRun, sumMs)} waiting ${pct(sumClientWait, sumMs)}, same CPU in ${sameCpu}/${windows.length} windows, main µs/PUT ${((sumMainRun / 1000) * (1 / result.ops) * ((seconds * 1000) / sumMs)).toFixed(0)}, reference MD5 / fstat ${(refBefore.md5 / 1000).toFixed(2)} → ${(refAfter.md5 / 1000).toFixed(2)} / ${(refBefore.syscall / 1000).toFixed(2)} → ${(refAfter.syscall / 1000).toFixed(2)} µs, load ${loadavg()[0]!.toFixed(2)}`
  summaries.push(summary)
}
if (bundleDir) rmSync(bundleDir, { recursive: true, force: true })
console.log(summaries.join('\n'))
