/**
 * `node bin/tsx.js bench/profile-get.ts [seconds] [--concurrency N] [--null]`: where COS Local spends its
 * CPU on 4 KiB GETs (1000 keys, c=16 for `seconds`), as `npm run bench`'s small-object GET does.
 * Starts the built bundle with --cpu-prof, prints the server's CPU µs per GET, the functions with
 * the most self time and the inclusive time of the request's stages, over the measured seconds. The profile stays in
 * bench/results/profiles-XXXX/.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, objectPath } from './client.ts'
import { forEachConcurrent, runLoad } from './load.ts'
import { inclusiveTime, lastMillis, mainThreadProfile, printTopSelfTime } from './profile-top.ts'
import { CLI_BUNDLE, PEERS, resultsDir, startServer } from './servers.ts'

const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10)
const concurrencyArg = process.argv.indexOf('--concurrency')
const concurrency = concurrencyArg >= 0 ? Number(process.argv[concurrencyArg + 1]) : 16
/** `--null`: the null server instead, for the same figures side by side. */
const peer = process.argv.includes('--null') ? PEERS.nullServer : PEERS.cosLocal
if (peer === PEERS.cosLocal && !existsSync(CLI_BUNDLE))
  throw new Error('profile-get needs the bundle: run `npx electron-vite build` first')
const KEYS = 1000
const profileDir = mkdtempSync(join(resultsDir(), 'profiles-'))
const dataDir = mkdtempSync(join(tmpdir(), 'cos-bench-'))
const server = await startServer(peer, dataDir, ['--cpu-prof', '--cpu-prof-dir', profileDir])
const client = new Client(server.port, concurrency)
const body = Buffer.alloc(4096, 7)
await client.createBucket()
await forEachConcurrent(KEYS, 16, async (i) => {
  await client.ok('PUT', objectPath(`get/${i}`), { body })
})
const result = await runLoad(
  async (i) => {
    const reply = await client.request('GET', objectPath(`get/${(i * 7919) % KEYS}`))
    if (reply.status !== 200 || reply.bytes !== 4096) throw new Error(`GET: HTTP ${reply.status}, ${reply.bytes} B`)
  },
  concurrency,
  seconds * 1000,
  1000,
  server.cpuMs
)
console.log(
  `${peer.name}: 4 KiB GET c=${concurrency} for ${seconds} s: ${Math.round(result.opsPerSec)} ops/s, ` +
    `p50 ${result.p50Ms.toFixed(2)} ms, server CPU ${Math.round(result.serverCpuUsPerOp ?? NaN)} µs per GET\n`
)
client.close()
await server.stop()
rmSync(dataDir, { recursive: true, force: true })

const { file, profile: whole } = mainThreadProfile(profileDir)
// the measured GETs only: start-up, seeding and the warm-up second left out
const profile = lastMillis(whole, (seconds - 0.5) * 1000)
printTopSelfTime(file, profile, 25)
/** The stages of a GET, by the functions that run them (inclusive time; stages nest). */
const STAGES = [
  'parserOnHeadersComplete',
  'handle',
  'authenticate',
  'resolveTarget',
  'hostAllowed',
  'actual',
  'chooseHandler',
  'getObject',
  'readObject',
  'latestWithBytes',
  'getBucket',
  'planResponse',
  'objectResponseHeaders',
  'writeHead',
  'end',
  'resOnFinish',
  'onStreamRead',
  'writeGeneric',
  'writevGeneric',
  '(garbage collector)',
  '(idle)',
  '(program)'
]
const stages = inclusiveTime(profile, STAGES)
const busy = 100 - (stages.find(([name]) => name === '(idle)')?.[1] ?? 0)
console.log('\n| inclusive % | % of busy | stage |\n|--:|--:|---|')
for (const [name, pct] of stages)
  console.log(`| ${pct.toFixed(1)} | ${name === '(idle)' ? '—' : ((pct / busy) * 100).toFixed(1)} | \`${name}\` |`)
