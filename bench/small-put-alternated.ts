/**
 * 4 KiB PUTs of COS Local and the null server alternated in one run (each server in its own
 * process, both up at once): short slices at one concurrency, the two peers taking turns, so
 * both rates of a round come from the same seconds. The table's peers run minutes apart, and
 * this VM's own speed swings by up to 2× between minutes (FINDINGS, session 9), which moves
 * the ratio of two such runs more than any change of ours.
 */
import { randomBytes } from 'node:crypto'
import { alternateRounds, type Alternated } from './alternate.ts'
import { Client, objectPath } from './client.ts'
import { runLoad } from './load.ts'
import { withServers, type Peer } from './servers.ts'

/** PUT/s of each round's slice, COS Local and the null server, and their ratio in %, at one concurrency. */
export interface AlternatedPuts extends Alternated {
  concurrency: number
}

export async function alternatedPuts(
  cosPeer: Peer,
  nullPeer: Peer,
  concurrencies: number[],
  rounds: number,
  sliceMs: number
): Promise<AlternatedPuts[]> {
  const body = randomBytes(4096)
  return withServers([cosPeer, nullPeer], async (servers) => {
    const clients = servers.map((server) => new Client(server.port, Math.max(...concurrencies)))
    try {
      for (const client of clients) await client.createBucket()
      const results: AlternatedPuts[] = []
      for (const c of concurrencies) {
        let slice = 0
        // A slice of each first, not counted: the servers' code and the client's warm up at c.
        const alternated = await alternateRounds(
          rounds,
          async (index) => {
            const server = servers[index]!
            const client = clients[index]!
            const at = slice++
            const load = await runLoad(
              async (i) => {
                const reply = await client.request('PUT', objectPath(`alt/c${c}/s${at}/${i}`), { body })
                if (reply.status !== 200) throw new Error(`${server.peer.name} PUT: HTTP ${reply.status}`)
              },
              c,
              sliceMs,
              sliceMs / 4
            )
            if (load.errors > 0) throw new Error(`${server.peer.name}: ${load.errors} failed PUTs`)
            return load.opsPerSec
          },
          1
        )
        results.push({ concurrency: c, ...alternated })
      }
      return results
    } finally {
      for (const client of clients) client.close()
    }
  })
}
