/**
 * `node bin/tsx.js bench/put-commit-cpu.ts [--group N] [--puts N] [--fsync] [--root DIR]`: the CPU
 * a 4 KiB PUT costs the storage and the event bus (no HTTP), in groups of a fixed size: N
 * `putObject` calls started together, so they share one group commit (with the bus's in-commit
 * fan-out: history rows, no trigger), awaited, repeated. Prints the main thread's CPU per PUT
 * (from /proc/self/task/PID/schedstat, ns) and the WAL bytes per PUT. Unlike the HTTP bench,
 * the group size does not move with the machine's load, so two builds compare under load: run
 * it from each tree (`--root` is where main/ is, for a copy of another commit's sources).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type * as Clock from '../main/core/clock.ts'
import type * as EventSystem from '../main/event-system.ts'
import type * as CreateStorage from '../main/storage/create-storage.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1]! : fallback
const group = Number(option('--group', '8'))
const puts = Number(option('--puts', '20000'))
const fsync = args.includes('--fsync')
const root = resolve(option('--root', join(fileURLToPath(import.meta.url), '..', '..')))

const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, path)).href)) as T
const { createStorage } = await load<typeof CreateStorage>('main/storage/create-storage.ts')
const { createEventSystem } = await load<typeof EventSystem>('main/event-system.ts')
const { createSystemClock } = await load<typeof Clock>('main/core/clock.ts')

/** This thread's time on a CPU, ns (the kernel's scheduler accounting: exact, unlike ticks). */
const mainThreadNs = (): number =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0])

const dataDir = mkdtempSync(join(tmpdir(), 'cos-put-commit-'))
const clock = createSystemClock(1)
const opened = createStorage({ dataDir, clock, fsync, appid: '1250000000', defaultRegion: 'ap-guangzhou' })
const events = createEventSystem({
  db: opened.db,
  queue: opened.queue,
  dataDir,
  clock,
  appid: '1250000000',
  region: 'ap-guangzhou'
})
events.start()
const bucket = 'bench-1250000000'
opened.storage.createBucket(bucket, 'ap-guangzhou')
const body = Buffer.alloc(4096, 7)
let n = 0
const ctx = (): { requestId: string; sourceIp: string; authorization: string } => ({
  requestId: Buffer.from(`bench_${n}`).toString('base64'),
  sourceIp: '127.0.0.1',
  authorization: ''
})
const round = (): Promise<unknown> =>
  Promise.all(
    Array.from({ length: group }, () =>
      opened.storage.putObject(
        bucket,
        `cpu/${n++}`,
        Readable.from([body]),
        {
          contentLength: body.length,
          storageClass: 'STANDARD',
          headers: { 'Content-Type': 'application/octet-stream' }
        },
        ctx()
      )
    )
  )

for (let i = 0; i < 2000 / group; i++) await round() // warm up (JIT, page cache)
const before = mainThreadNs()
const started = performance.now()
const rounds = Math.ceil(puts / group)
for (let i = 0; i < rounds; i++) await round()
const cpuUs = (mainThreadNs() - before) / 1000 / (rounds * group)
const wallMs = performance.now() - started

await events.stop()
await opened.close()
rmSync(dataDir, { recursive: true, force: true })
console.log(
  `${root}: group ${group}, ${rounds * group} PUTs: main thread ${cpuUs.toFixed(1)} µs/PUT, ` +
    `${Math.round((rounds * group * 1000) / wallMs)} PUT/s, load ${loadavg()[0]!.toFixed(2)}`
)
