/**
 * 4 KiB PUTs of COS Local and the null server alternated in one run (each server in its own
 * process, both up at once): short slices at one concurrency, the two peers taking turns, so
 * both rates of a round come from the same seconds. The table's peers run minutes apart, and
 * this VM's own speed swings by up to 2× between minutes (FINDINGS, session 9), which moves
 * the ratio of two such runs more than any change of ours.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, objectPath } from './client.ts'
import { runLoad } from './load.ts'
import { startServer, type Peer, type RunningServer } from './servers.ts'

export interface AlternatedPuts {
  concurrency: number
  /** PUT/s of each round's slice, COS Local and the null server. */
  cos: number[]
  null: number[]
  /** COS Local / null server per round, %. */
  ratios: number[]
}

export async function alternatedPuts(
  cosPeer: Peer,
  nullPeer: Peer,
  concurrencies: number[],
  rounds: number,
  sliceMs: number
): Promise<AlternatedPuts[]> {
  const started: { server: RunningServer; dir: string; client: Client }[] = []
  const body = randomBytes(4096)
  try {
    for (const peer of [cosPeer, nullPeer]) {
      const dir = mkdtempSync(join(tmpdir(), 'cos-bench-'))
      const server = await startServer(peer, dir)
      const client = new Client(server.port, Math.max(...concurrencies))
      started.push({ server, dir, client })
      await client.createBucket()
    }
    const results: AlternatedPuts[] = []
    for (const c of concurrencies) {
      const result: AlternatedPuts = { concurrency: c, cos: [], null: [], ratios: [] }
      // A slice of each first, not counted: the servers' code and the client's warm up at c.
      for (let round = -1; round < rounds; round++) {
        const order = round % 2 === 0 ? [0, 1] : [1, 0]
        const rates: number[] = []
        for (const index of order) {
          const { server, client } = started[index]!
          const load = await runLoad(
            async (i) => {
              const reply = await client.request('PUT', objectPath(`alt/c${c}/r${round + 1}/${i}`), { body })
              if (reply.status !== 200) throw new Error(`${server.peer.name} PUT: HTTP ${reply.status}`)
            },
            c,
            sliceMs,
            sliceMs / 4
          )
          if (load.errors > 0) throw new Error(`${server.peer.name}: ${load.errors} failed PUTs`)
          rates[index] = load.opsPerSec
        }
        if (round < 0) continue
        result.cos.push(rates[0]!)
        result.null.push(rates[1]!)
        result.ratios.push((rates[0]! / rates[1]!) * 100)
      }
      results.push(result)
    }
    return results
  } finally {
    for (const { server, dir, client } of started) {
      client.close()
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
