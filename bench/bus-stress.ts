/**
 * Stress check of the event bus's delivery guarantee: warm PUTs to keys a COS trigger of a
 * no-op Node function matches, in rounds of back-to-back PUTs (c=1) and bursts (c=16) with
 * short pauses between; every handler must start (counted through the handler's file).
 *
 *   node bin/tsx.js bench/bus-stress.ts [--rounds 10] [--per 300] [--bundle out/main/cli.js]
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BUCKET, Client, objectPath } from './client.ts'
import { addNoopFunction, StartsFile } from './events.ts'
import { CLI_BUNDLE, PEERS, startServer, type Peer } from './servers.ts'

const run = promisify(execFile)
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const rounds = Number(option('rounds') ?? 10)
const per = Number(option('per') ?? 300)
const bundle = option('bundle') ?? CLI_BUNDLE
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const work = mkdtempSync(join(tmpdir(), 'bus-stress-'))
const peer: Peer = { ...PEERS.cosLocal, command: (dir) => [bundle, ...PEERS.cosLocal.command(dir).slice(1)] }
const dataDir = join(work, 'data')
mkdirSync(dataDir)
const server = await startServer(peer, dataDir)
const client = new Client(server.port, 16)
let failed = false
try {
  await client.createBucket()
  const outFile = join(work, 'starts.txt')
  const cli = (...args: string[]) => run(process.execPath, [bundle, ...args, '--data', dataDir])
  await addNoopFunction(cli, { name: 'noop', fnDir: join(work, 'fn'), outFile, prefix: 'hot/' })
  const starts = new StartsFile(outFile)
  const all: string[] = []
  const body = Buffer.from('event')
  for (let r = 0; r < rounds; r++) {
    const keys: string[] = []
    // back to back
    for (let i = 0; i < per; i++) {
      const key = `hot/b2b/${r}/${i}`
      keys.push(key)
      await client.ok('PUT', objectPath(key), { body })
      if (i % 50 === 49) await sleep(r % 3 === 0 ? 20 : 2)
    }
    // bursts at c=16
    for (let b = 0; b < 4; b++) {
      const burst = Array.from({ length: per / 4 }, (_, i) => `hot/burst/${r}/${b}/${i}`)
      keys.push(...burst)
      let next = 0
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < burst.length) {
            const key = burst[next++]!
            await client.ok('PUT', objectPath(key), { body })
          }
        })
      )
      await sleep(b * 7)
    }
    // idle gaps
    for (let i = 0; i < 20; i++) {
      const key = `hot/idle/${r}/${i}`
      keys.push(key)
      await client.ok('PUT', objectPath(key), { body })
      await sleep(15 + (i % 5) * 3)
    }
    all.push(...keys)
    try {
      await starts.waitFor(keys, 30_000)
      console.log(
        `round ${r}: ${keys.length} events, all started; load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`
      )
    } catch (error) {
      failed = true
      const missing = keys.filter((key) => !starts.starts.has(key))
      console.error(`round ${r}: ${(error as Error).message}`)
      console.error(`missing: ${missing.slice(0, 20).join(' ')}`)
      for (const key of missing.slice(0, 3)) {
        const { stdout } = await run(process.execPath, [bundle, 'explain', BUCKET, key, '--data', dataDir])
        console.error(stdout)
      }
      console.error(server.errors())
      break
    }
  }
  console.log(failed ? 'FAILED' : `OK: ${all.length} events, every handler started`)
} finally {
  client.close()
  await server.stop()
  if (!failed) rmSync(work, { recursive: true, force: true })
  else console.log(`kept ${work}`)
}
