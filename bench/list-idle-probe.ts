/**
 * `node bin/tsx.js bench/list-idle-probe.ts DIR [--rounds N] [--idle MS] [--query Q] [--info] [--write]
 * [--built]`: does a listing (by default the top level, `delimiter=/`) cost more on the first call
 * after an idle second than back to back? Starts the server on DIR (from source; `--built`: the
 * bundle), lists 5 times (a fresh server's first calls), then ROUNDS times: IDLE ms of nothing, then
 * 4 identical calls back to back. Per call: wall, the handler's Server-Timing, the server main
 * thread's CPU (schedstat), what SQLite read from the file (rchar) and minor faults; medians per
 * position (0 = first after idle). `--info`: also `GET /api/info` after each idle, its CPU.
 * `--write`: a 1-byte PUT before each idle (another commit between calls) — only on a COPY of the
 * million folder (refused on /work/million-data). Without --write the folder is only read.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { BUCKET } from './client.ts'
import { LeanConnection } from './lean-connection.ts'
import { PEERS, startServer } from './servers.ts'

const args = process.argv.slice(2)
const dir = args[0]!
const opt = (name: string, d: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d)
const rounds = opt('--rounds', 10)
const idle = opt('--idle', 1000)
const query = args.includes('--query') ? args[args.indexOf('--query') + 1]! : 'delimiter=/&max-keys=1000'
const extra = (process.env.PROBE_NODE_FLAGS ?? '').split(' ').filter(Boolean)
const server = await startServer(args.includes('--built') ? PEERS.cosLocal : PEERS.cosLocalSource, dir, extra)
const tick = 1000 / 100
const cpu = (): { ms: number; minflt: number; rchar: number } => {
  const f = readFileSync(`/proc/${server.pid}/task/${server.pid}/stat`, 'latin1').split(') ')[1]!.split(' ')
  const io = readFileSync(`/proc/${server.pid}/io`, 'latin1')
  return {
    ms: (Number(f[11]) + Number(f[12])) * tick,
    minflt: Number(f[7]),
    rchar: Number(/rchar: (\d+)/.exec(io)![1])
  }
}
const schedRun = (): number =>
  Number(readFileSync(`/proc/${server.pid}/task/${server.pid}/schedstat`, 'latin1').split(' ')[0]) / 1e6
const client = new LeanConnection(server.port)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
type Rec = { pos: number; wall: number; handler: number; cpu: number; flt: number; rkib: number }
const recs: Rec[] = []
async function one(pos: number, path: string): Promise<void> {
  const b = cpu()
  const r0 = schedRun()
  const t = performance.now()
  const reply = await client.get(path)
  const wall = performance.now() - t
  const a = cpu()
  recs.push({
    pos,
    wall,
    handler: Number(/server-timing: list;dur=([\d.]+)/i.exec(reply.head)?.[1] ?? NaN),
    cpu: schedRun() - r0,
    flt: a.minflt - b.minflt,
    rkib: (a.rchar - b.rchar) / 1024
  })
}
for (let i = 0; i < 5; i++) await one(-1, `/${BUCKET}?${query}`)
const write = args.includes('--write')
if (write && dir.replace(/\/$/, '') === '/work/million-data')
  throw new Error('--write only on a copy of the million folder')
const cosUrl = `http://127.0.0.1:${server.port}`
const ui = /UI\s+(http:\/\/[\d.]+:\d+)\/\?token=(\w+)/.exec(server.output())!
const infoCpu: number[] = []
for (let r = 0; r < rounds; r++) {
  if (write) {
    // a small write through the writer thread: another connection commits, then idle
    const res = await fetch(`${cosUrl}/${BUCKET}/zz-probe/${r}`, { method: 'PUT', body: 'x' })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`PUT answered ${res.status}`)
  }
  await sleep(idle)
  if (args.includes('--info')) {
    const r0 = schedRun()
    const res = await fetch(`${ui[1]}/api/info`, { headers: { authorization: `Bearer ${ui[2]}` } })
    await res.text()
    infoCpu.push(schedRun() - r0)
    if (res.status !== 200) console.log('info', res.status)
  }
  for (let p = 0; p < 4; p++) await one(p, `/${BUCKET}?${query}`)
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}  idle ${idle} ms  ${query}`
)
console.log(
  `fresh server, first 5 calls: handler ${recs
    .filter((r) => r.pos === -1)
    .map((r) => r.handler.toFixed(1))
    .join(' ')} cpu ${recs
    .filter((r) => r.pos === -1)
    .map((r) => r.cpu.toFixed(1))
    .join(' ')} read KiB ${recs
    .filter((r) => r.pos === -1)
    .map((r) => r.rkib.toFixed(0))
    .join(' ')} faults ${recs
    .filter((r) => r.pos === -1)
    .map((r) => r.flt)
    .join(' ')}`
)
for (let p = 0; p < 4; p++) {
  const rs = recs.filter((r) => r.pos === p)
  const f = (k: keyof Rec): string => med(rs.map((r) => r[k])).toFixed(2)
  console.log(
    `pos ${p}: wall ${f('wall')}  handler ${f('handler')}  cpu ${f('cpu')}  faults ${f('flt')}  read KiB ${f('rkib')}  | handler all: ${rs.map((r) => r.handler.toFixed(1)).join(' ')}`
  )
}
if (infoCpu.length) console.log(`/api/info cpu ms: ${infoCpu.map((x) => x.toFixed(2)).join(' ')}`)
client.close()
await server.stop()
