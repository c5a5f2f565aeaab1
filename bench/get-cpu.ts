/**
 * `node bin/tsx.js bench/get-cpu.ts [rounds] [--seconds N]`: 4 KiB GET, COS Local (the built
 * bundle) against the null server, alternating peers for `rounds` rounds (default 3) at c=16
 * and c=64: ops/s and the CPU µs per GET of the server and of this client process, medians
 * over the rounds, after 3 s of GETs at c=16 that warm up both sides. A quick A/B of the GET path that holds under load better than ops/s alone.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os, { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, objectPath } from './client.ts'
import { forEachConcurrent, median, runLoad } from './load.ts'
import { PEERS, startServer, type Peer } from './servers.ts'

const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3)
const secondsArg = process.argv.indexOf('--seconds')
const seconds = secondsArg >= 0 ? Number(process.argv[secondsArg + 1]) : 3
const KEYS = 1000
const CONCURRENCIES = [16, 64]
const peers: Peer[] = [PEERS.cosLocal, PEERS.nullServer]

interface Sample {
  opsPerSec: number
  serverUs: number
  clientUs: number
}
const samples = new Map<string, Sample[]>()

async function get(client: Client, i: number): Promise<void> {
  const reply = await client.request('GET', objectPath(`get/${(i * 7919) % KEYS}`))
  if (reply.status !== 200 || reply.bytes !== 4096) throw new Error(`GET: HTTP ${reply.status}`)
}

async function measure(peer: Peer): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-bench-'))
  const server = await startServer(peer, dataDir)
  const client = new Client(server.port, Math.max(...CONCURRENCIES))
  try {
    const body = Buffer.alloc(4096, 7)
    await client.createBucket()
    await forEachConcurrent(KEYS, 16, async (i) => {
      await client.ok('PUT', objectPath(`get/${i}`), { body })
    })
    await settle(server.cpuMs)
    // compiled code and a steady heap before measuring (the first seconds cost 2-3× the CPU)
    await runLoad((i) => get(client, i), 16, 3000, 0)
    for (const c of CONCURRENCIES) {
      const clientBefore = process.cpuUsage()
      const result = await runLoad((i) => get(client, i), c, seconds * 1000, 0, server.cpuMs)
      const clientSpent = process.cpuUsage(clientBefore)
      const id = `${peer.name} c=${c}`
      const list = samples.get(id) ?? []
      const clientUs = (clientSpent.user + clientSpent.system) / result.ops
      list.push({ opsPerSec: result.opsPerSec, serverUs: result.serverCpuUsPerOp ?? NaN, clientUs })
      samples.set(id, list)
    }
  } finally {
    client.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Waits (≤ 5 s) until the server spends < 5 % of a core: the seeding's background work is done. */
async function settle(cpuMs: () => number): Promise<void> {
  for (let i = 0; i < 25; i++) {
    const before = cpuMs()
    await new Promise((resolve) => setTimeout(resolve, 200))
    if (cpuMs() - before < 10) return
  }
}

const loadAtStart = os.loadavg()
for (let round = 0; round < rounds; round++) for (const peer of peers) await measure(peer)
const loadAtEnd = os.loadavg()
console.log(`| peer | ops/s | server CPU µs/GET | client CPU µs/GET |\n|---|--:|--:|--:|`)
const med = (list: Sample[], field: keyof Sample): number => median(list.map((s) => s[field]))
for (const [id, list] of samples) {
  console.log(
    `| ${id} | ${Math.round(med(list, 'opsPerSec'))} | ${Math.round(med(list, 'serverUs'))} | ${Math.round(med(list, 'clientUs'))} |`
  )
}
for (const c of CONCURRENCIES) {
  const cos = samples.get(`COS Local c=${c}`)!
  const nul = samples.get(`null server c=${c}`)!
  const ratios = cos.map((s, i) => s.opsPerSec / nul[i]!.opsPerSec)
  console.log(
    `c=${c}: COS Local at ${Math.round(median(ratios) * 100)} % of null (per round: ${ratios.map((r) => Math.round(r * 100)).join(', ')} %); ` +
      `server CPU ${Math.round(med(nul, 'serverUs'))} / ${Math.round(med(cos, 'serverUs'))} = ${Math.round((med(nul, 'serverUs') / med(cos, 'serverUs')) * 100)} % of COS Local's`
  )
}
console.log(
  `load average ${loadAtStart.map((l) => l.toFixed(1)).join(' / ')} → ${loadAtEnd.map((l) => l.toFixed(1)).join(' / ')}`
)
