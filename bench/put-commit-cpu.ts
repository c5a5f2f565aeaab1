/**
 * `node bin/tsx.js bench/put-commit-cpu.ts [--group N] [--puts N] [--fsync] [--root DIR] [--random-keys]`: the CPU
 * a 4 KiB PUT costs the storage and the event bus (no HTTP), in groups of a fixed size: N
 * `putObject` calls started together, so they share one group commit (with the bus's in-commit
 * fan-out: history rows, no trigger), awaited, repeated. Prints the main thread's CPU per PUT
 * (from /proc/self/task/PID/schedstat, ns) and the WAL bytes per PUT. Unlike the HTTP bench,
 * the group size does not move with the machine's load, so two builds compare under load: run
 * it from each tree (`--root` is where main/ is, for a copy of another commit's sources).
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openInProcessPuts } from './in-process-puts.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1]! : fallback
const group = Number(option('--group', '8'))
const puts = Number(option('--puts', '20000'))
const fsync = args.includes('--fsync')
const root = resolve(option('--root', join(fileURLToPath(import.meta.url), '..', '..')))

/** This thread's time on a CPU, ns (the kernel's scheduler accounting: exact, unlike ticks). */
const mainThreadNs = (): number =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0])

const { round, close } = await openInProcessPuts(root, group, fsync, args.includes('--random-keys'))

for (let i = 0; i < 2000 / group; i++) await round() // warm up (JIT, page cache)
const before = mainThreadNs()
const beforeAll = process.cpuUsage()
const started = performance.now()
const rounds = Math.ceil(puts / group)
for (let i = 0; i < rounds; i++) await round()
const cpuUs = (mainThreadNs() - before) / 1000 / (rounds * group)
const all = process.cpuUsage(beforeAll)
const allUs = (all.user + all.system) / (rounds * group)
const wallMs = performance.now() - started

await close()
console.log(
  `${root}: group ${group}, ${rounds * group} PUTs: main thread ${cpuUs.toFixed(1)} µs/PUT (all threads ${allUs.toFixed(1)}), ` +
    `${Math.round((rounds * group * 1000) / wallMs)} PUT/s, load ${loadavg()[0]!.toFixed(2)}`
)
