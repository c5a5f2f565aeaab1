/**
 * `node bin/tsx.js bench/put-commit-cpu.ts [--group N] [--puts N] [--fsync] [--root DIR] [--random-keys]`: the CPU
 * a 4 KiB PUT costs the storage and the event bus (no HTTP), in groups of a fixed size: N
 * `putObject` calls started together, so they share one group commit (with the bus's in-commit
 * fan-out: history rows, no trigger), awaited, repeated. Prints the main thread's CPU per PUT
 * (from /proc/self/task/PID/schedstat, ns) and the WAL bytes per PUT. Unlike the HTTP bench,
 * the group size does not move with the machine's load, so two builds compare under load: run
 * it from each tree (`--root` is where main/ is, for a copy of another commit's sources).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openInProcessPuts } from './in-process-puts.ts'
import { textOption } from './options.ts'

const args = process.argv.slice(2)
const group = Number(textOption('--group', '8'))
const puts = Number(textOption('--puts', '20000'))
const fsync = args.includes('--fsync')
const root = resolve(textOption('--root', join(fileURLToPath(import.meta.url), '..', '..')))

/** A thread's time on a CPU, ns (the kernel's scheduler accounting: exact, unlike ticks). */
const threadNs = (tid: number | string): number =>
  Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0])
const mainThreadNs = (): number => threadNs(process.pid)
/** Every thread's time and name (the writer and checkpoint threads show apart). */
const threads = (): Map<string, { name: string; ns: number }> =>
  new Map(
    readdirSync('/proc/self/task').map((tid) => [
      tid,
      { name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), ns: threadNs(tid) }
    ])
  )

const { round, close } = await openInProcessPuts(root, group, fsync, args.includes('--random-keys'))

for (let i = 0; i < 2000 / group; i++) await round() // warm up (JIT, page cache)
const before = mainThreadNs()
const beforeThreads = threads()
const beforeAll = process.cpuUsage()
const started = performance.now()
const rounds = Math.ceil(puts / group)
for (let i = 0; i < rounds; i++) await round()
const cpuUs = (mainThreadNs() - before) / 1000 / (rounds * group)
const all = process.cpuUsage(beforeAll)
const allUs = (all.user + all.system) / (rounds * group)
const wallMs = performance.now() - started
const busiest = [...threads()]
  .filter(([tid]) => tid !== String(process.pid))
  .map(([tid, { name, ns }]) => ({ name, us: (ns - (beforeThreads.get(tid)?.ns ?? 0)) / 1000 / (rounds * group) }))
  .filter((thread) => thread.us >= 1)
  .sort((a, b) => b.us - a.us)

await close()
console.log(
  `${root}: group ${group}, ${rounds * group} PUTs: main thread ${cpuUs.toFixed(1)} µs/PUT (all threads ${allUs.toFixed(1)}), ` +
    `${Math.round((rounds * group * 1000) / wallMs)} PUT/s, load ${loadavg()[0]!.toFixed(2)}\n` +
    `  other threads: ${busiest.map((thread) => `${thread.name} ${thread.us.toFixed(1)}`).join(', ')} µs/PUT`
)
