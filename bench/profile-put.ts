/**
 * `node bin/tsx.js bench/profile-put.ts [seconds] [--fsync] [--big]`: where COS Local spends its
 * CPU on 4 KiB PUTs (c=16 for `seconds`), or with --big on one 1 GiB streamed PUT. Starts it
 * with --cpu-prof, stops it and prints the functions and files with the most self time.
 * The profile stays in bench/results/profiles-XXXX/.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mbPerSec, source } from './big-object.ts'
import { Client, objectPath } from './client.ts'
import { runLoad } from './load.ts'
import { mainThreadProfile, printTopSelfTime } from './profile-top.ts'
import { CLI_BUNDLE, PEERS, resultsDir, startServer } from './servers.ts'

const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10)
// The built bundle (`npm run build`) when present: no tsx frames in the profile.
const built = existsSync(CLI_BUNDLE)
const peer = process.argv.includes('--fsync') ? PEERS.cosLocalFsync : built ? PEERS.cosLocal : PEERS.cosLocalSource
const profileDir = mkdtempSync(join(resultsDir(), 'profiles-'))
const dataDir = mkdtempSync(join(tmpdir(), 'cos-bench-'))
const server = await startServer(peer, dataDir, ['--cpu-prof', '--cpu-prof-dir', profileDir])
const client = new Client(server.port, 16)
const body = Buffer.alloc(4096, 7)
await client.createBucket()
if (process.argv.includes('--big')) {
  const size = 1024 * 1024 * 1024
  const started = performance.now()
  await client.ok('PUT', objectPath('profile/big'), { body: source(size), contentLength: size })
  console.log(`${peer.name}: 1 GiB PUT at ${Math.round(mbPerSec(size, performance.now() - started))} MB/s\n`)
} else {
  const result = await runLoad(
    async (i) => {
      await client.ok('PUT', objectPath(`profile/${i}`), { body })
    },
    16,
    seconds * 1000,
    1000
  )
  console.log(
    `${peer.name}: 4 KiB PUT c=16 for ${seconds} s: ${Math.round(result.opsPerSec)} ops/s, p50 ${result.p50Ms.toFixed(2)} ms\n`
  )
}
client.close()
await server.stop()
rmSync(dataDir, { recursive: true, force: true })

// The main thread's profile is the larger one (the other is tsx's loader worker).
const { file, profile } = mainThreadProfile(profileDir)
printTopSelfTime(file, profile, 20)
