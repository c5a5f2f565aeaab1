/**
 * Large GETs of COS Local and the null server alternated in one run, so both rates are taken
 * under the same machine state: `node bin/tsx.js bench/big-get-ab.ts [--size-mib N]
 * [--rounds N] [--client lean|http|both] [--yardstick] [--multipart]`. Per GET: MB/s; the server's CPU ms
 * split into its main thread and the rest (thread pool: the file reads); this client's CPU
 * ms, GC ms and page faults; the machine's Dirty + Writeback MiB. `--client http` reads with
 * `node:http` (bench/client.ts), `lean` with lean-connection.ts. `--yardstick` first writes and
 * copies a file of the same size, as `npm run bench` does before its first peer.
 * `--multipart` uploads the object in 8 MiB parts (on COS Local, an object of extents).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import { measureYardsticks, multipartUpload, source } from './big-object.ts'
import { Client, objectPath } from './client.ts'
import { leanGet } from './lean-connection.ts'
import { PEERS, startServer, type RunningServer } from './servers.ts'

const MiB = 1024 * 1024
const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const size = Number(option('--size-mib') ?? 1024) * MiB
const rounds = Number(option('--rounds') ?? 5)
const clientChoice = option('--client') ?? 'both'
const clients = clientChoice === 'both' ? ['http', 'lean'] : [clientChoice]

let gcMs = 0
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration
}).observe({ entryTypes: ['gc'] })

/** Fields after the command name of /proc/PID[/task/TID]/stat (fields[0] is field 3). */
function statFields(path: string): string[] {
  const text = readFileSync(path, 'latin1')
  return text.slice(text.lastIndexOf(')') + 2).split(' ')
}
const cpuMsOf = (fields: string[]): number => (Number(fields[11]) + Number(fields[12])) * 10
const minorFaults = (pid: number | 'self'): number => Number(statFields(`/proc/${pid}/stat`)[7])

/** CPU ms of the server's main thread and of all its other threads together. */
function threadCpu(pid: number): { main: number; others: number } {
  let main = 0
  let others = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ms = cpuMsOf(statFields(`/proc/${pid}/task/${tid}/stat`))
      if (tid === String(pid)) main += ms
      else others += ms
    } catch {
      // the thread ended meanwhile
    }
  }
  return { main, others }
}

function dirtyMiB(): number {
  const text = readFileSync('/proc/meminfo', 'utf8')
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0)
  return (kib('Dirty') + kib('Writeback')) / 1024
}

interface Sample {
  MBps: number
  line: string
}

async function timedGet(server: RunningServer, client: Client, path: string, kind: string): Promise<Sample> {
  const faults0 = minorFaults('self')
  const threads0 = threadCpu(server.pid)
  const cpu0 = process.cpuUsage()
  const gc0 = gcMs
  const started = performance.now()
  const reply = kind === 'lean' ? await leanGet(server.port, path) : await client.request('GET', path)
  const ms = performance.now() - started
  if (reply.status !== 200 || reply.bytes !== size) throw new Error(`GET ${path}: ${reply.status}, ${reply.bytes}`)
  const used = process.cpuUsage(cpu0)
  const threads = threadCpu(server.pid)
  const MBps = size / 1e6 / (ms / 1000)
  const fixed = (value: number, width = 5): string => value.toFixed(0).padStart(width)
  return {
    MBps,
    line:
      `${fixed(MBps, 6)} MB/s  server main ${fixed(threads.main - threads0.main)} + other ${fixed(threads.others - threads0.others)} ms  ` +
      `client ${fixed((used.user + used.system) / 1000)} ms (GC ${fixed(gcMs - gc0, 3)} ms, ${fixed(minorFaults('self') - faults0, 6)} faults)  ` +
      `dirty ${fixed(dirtyMiB())} MiB`
  }
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')

if (args.includes('--yardstick')) await measureYardsticks(size)
const dirs = [mkdtempSync(join(tmpdir(), 'cos-ab-')), mkdtempSync(join(tmpdir(), 'cos-ab-'))]
const cos = await startServer(PEERS.cosLocal, dirs[0]!)
const nul = await startServer(PEERS.nullServer, dirs[1]!)
const peers = [
  { name: 'COS Local', server: cos, client: new Client(cos.port, 4) },
  { name: 'null', server: nul, client: new Client(nul.port, 4) }
]
// `--variant-env NAME=VALUE,…`: a second COS Local with that environment, alternated with the others
const variantEnv = option('--variant-env')
if (variantEnv) {
  const env = Object.fromEntries(variantEnv.split(',').map((pair) => pair.split('=') as [string, string]))
  dirs.push(mkdtempSync(join(tmpdir(), 'cos-ab-')))
  const variant = await startServer({ ...PEERS.cosLocal, env }, dirs[2]!)
  peers.splice(1, 0, { name: 'variant', server: variant, client: new Client(variant.port, 4) })
}
const path = objectPath('big/object.bin')
try {
  console.log(`load ${load()}`)
  for (const peer of peers) {
    await peer.client.createBucket()
    const started = performance.now()
    if (args.includes('--multipart')) await multipartUpload(peer.client, path, size)
    else await peer.client.ok('PUT', path, { body: source(size), contentLength: size })
    console.log(`${peer.name} PUT ${(size / 1e6 / ((performance.now() - started) / 1000)).toFixed(0)} MB/s`)
  }
  for (const kind of clients) {
    const ratios: number[] = []
    const variantRatios: number[] = []
    for (let round = 0; round < rounds; round++) {
      const rates = new Map<string, number>()
      for (const peer of round % 2 ? [...peers].reverse() : peers) {
        const sample = await timedGet(peer.server, peer.client, path, kind)
        console.log(`${`${peer.name} ${kind}`.padEnd(15)} ${sample.line}`)
        rates.set(peer.name, sample.MBps)
      }
      ratios.push((rates.get('COS Local')! / rates.get('null')!) * 100)
      if (variantEnv) variantRatios.push((rates.get('variant')! / rates.get('null')!) * 100)
    }
    console.log(`${kind}: COS Local / null per round ${ratios.map((r) => r.toFixed(0)).join(' ')} %`)
    if (variantEnv)
      console.log(`${kind}: variant / null per round ${variantRatios.map((r) => r.toFixed(0)).join(' ')} %`)
  }
  console.log(`load ${load()}`)
} finally {
  for (const peer of peers) {
    peer.client.close()
    await peer.server.stop()
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}
