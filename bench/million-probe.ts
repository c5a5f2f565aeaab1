/**
 * Where the full marker-paged listing's slowest page goes: `node bin/tsx.js
 * bench/million-probe.ts DIR [--runs N]` (DIR: a copy of a seeded million folder — the
 * server writes to it). The server runs with --trace-gc; per page the client records its own
 * time, its own GC time inside the page, and the page's wall-clock span, so a slow page can
 * be laid beside the server's collections.
 */
import { readFileSync } from 'node:fs'
import { PerformanceObserver } from 'node:perf_hooks'
import { BUCKET, Client } from './client.ts'
import { PEERS, startServer } from './servers.ts'

const dir = process.argv[2]!
const runsAt = process.argv.indexOf('--runs')
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 2

const gcs: { start: number; end: number; kind: number }[] = []
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    gcs.push({
      start: e.startTime,
      end: e.startTime + e.duration,
      kind: (e as unknown as { detail: { kind: number } }).detail.kind
    })
}).observe({ entryTypes: ['gc'] })

const server = await startServer(PEERS.cosLocal, dir, ['--trace-gc'])
// the server's isolate start, on this process's performance.now() clock (10 ms resolution)
const ticks = Number(readFileSync(`/proc/${server.pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[19])
const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0])
const serverStart = performance.now() - (uptime * 1000 - ticks * 10)
const client = new Client(server.port, 1)

interface Page {
  run: number
  index: number
  start: number
  ms: number
  clientGcMs: number
  serverMs: number
}
const pages: Page[] = []
try {
  for (let run = 0; run < runs; run++) {
    let marker = ''
    for (let index = 0; ; index++) {
      const start = performance.now()
      const reply = await client.ok('GET', `/${BUCKET}?${new URLSearchParams({ marker, 'max-keys': '1000' })}`)
      const end = performance.now()
      const clientGcMs = gcs
        .filter((g) => g.end > start && g.start < end)
        .reduce((sum, g) => sum + Math.min(g.end, end) - Math.max(g.start, start), 0)
      const serverMs = Number(/dur=([\d.]+)/.exec(String(reply.headers['server-timing']))?.[1])
      pages.push({ run, index, start, ms: end - start, clientGcMs, serverMs })
      const text = reply.text
      const last = text.lastIndexOf('<Key>')
      if (!text.includes('<IsTruncated>true</IsTruncated>')) break
      marker = text.slice(last + 5, text.indexOf('</Key>', last))
    }
  }
} finally {
  client.close()
}
const serverGcs = [
  ...server.output().matchAll(/\s(\d+) ms: (Scavenge|Mark-Compact|Mark-sweep)[^\n]*?, ([\d.]+) \/ ([\d.]+) ms/g)
].map((m) => ({ at: serverStart + Number(m[1]), kind: m[2]!, ms: Number(m[3]), line: m[0].trim().slice(0, 160) }))
await server.stop()
function serverStats(run: number): string {
  const s = pages
    .filter((p) => p.run === run)
    .map((p) => p.serverMs)
    .sort((a, b) => a - b)
  return `p50 ${s[Math.floor(s.length / 2)]!.toFixed(1)} p99 ${s[Math.floor(s.length * 0.99)]!.toFixed(1)} max ${s.at(-1)!.toFixed(1)} ms`
}
const sorted = [...pages].sort((a, b) => b.ms - a.ms)
for (let run = 0; run < runs; run++) {
  const mine = pages.filter((p) => p.run === run).map((p) => p.ms)
  const s = [...mine].sort((a, b) => a - b)
  console.log(
    `run ${run}: server ${serverStats(run)}; client ${mine.length} pages, p50 ${s[Math.floor(s.length / 2)]!.toFixed(1)} p99 ${s[Math.floor(s.length * 0.99)]!.toFixed(1)} max ${s.at(-1)!.toFixed(1)} ms`
  )
}
console.log(`client GC: ${gcs.length}, total ${gcs.reduce((s, g) => s + g.end - g.start, 0).toFixed(0)} ms`)
console.log(
  `server GC lines: ${serverGcs.length}; non-scavenge: ${serverGcs.filter((g) => g.kind !== 'Scavenge').length}`
)
for (const page of sorted.slice(0, 8)) {
  const near = serverGcs.filter((g) => g.at > page.start - 30 && g.at < page.start + page.ms + 30)
  console.log(
    `run ${page.run} page #${page.index}: ${page.ms.toFixed(1)} ms (server ${page.serverMs} ms), client GC ${page.clientGcMs.toFixed(1)} ms; server GC nearby: ${near.map((g) => `${g.kind} ${g.ms} ms @${(g.at - page.start).toFixed(0)}`).join('; ') || 'none'}`
  )
}
for (const g of serverGcs.filter((g) => g.kind !== 'Scavenge' || g.ms > 5)) {
  const page = pages.find((p) => g.at >= p.start - 5 && g.at <= p.start + p.ms + 5)
  console.log(
    `server ${g.kind} ${g.ms} ms during ${page ? `run ${page.run} page #${page.index} (${page.ms.toFixed(1)} ms)` : 'no page'}: ${g.line}`
  )
}
const slowClient = gcs.filter((g) => g.end - g.start > 3)
console.log(
  `client GCs over 3 ms: ${slowClient.map((g) => `kind ${g.kind} ${(g.end - g.start).toFixed(1)} ms`).join(', ')}`
)
const slow = pages.filter((p) => p.ms > 20)
const serverGcIn = (p: Page): number =>
  serverGcs.filter((g) => g.at > p.start - 10 && g.at < p.start + p.ms + 10).reduce((s, g) => s + g.ms, 0)
console.log(
  `pages > 20 ms: ${slow.length}; with client GC > 5 ms inside: ${slow.filter((p) => p.clientGcMs > 5).length}; ` +
    `with a server GC > 5 ms near: ${slow.filter((p) => serverGcIn(p) > 5).length}; neither: ${slow.filter((p) => p.clientGcMs <= 5 && serverGcIn(p) <= 5).length}`
)
