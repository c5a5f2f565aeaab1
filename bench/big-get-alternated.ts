/**
 * Large GETs of COS Local and the null server alternated GET by GET in one run (each
 * server in its own process, both up at once): the ratio of two rates taken seconds apart
 * under the same machine state, where the big-object table's peers run minutes apart and a
 * shared machine's load drifts in between. Read with the lean client (lean-connection.ts).
 */
import { alternateRounds, type Alternated } from './alternate.ts'
import { mbPerSec, source } from './big-object.ts'
import { Client, objectPath } from './client.ts'
import { leanGet } from './lean-connection.ts'
import { withServers, type Peer } from './servers.ts'

/** MB/s of each round's GET, COS Local and the null server, and their ratio in %. */
export async function alternatedGets(cosPeer: Peer, nullPeer: Peer, size: number, rounds: number): Promise<Alternated> {
  const path = objectPath('big/alternated.bin')
  return withServers([cosPeer, nullPeer], async (servers) => {
    for (const server of servers) {
      const client = new Client(server.port, 1)
      try {
        await client.createBucket()
        await client.ok('PUT', path, { body: source(size), contentLength: size })
      } finally {
        client.close()
      }
    }
    return alternateRounds(rounds, async (index) => {
      const server = servers[index]!
      const begin = performance.now()
      const reply = await leanGet(server.port, path)
      if (reply.status !== 200 || reply.bytes !== size)
        throw new Error(`${server.peer.name} GET: ${reply.status}, ${reply.bytes} bytes`)
      return mbPerSec(size, performance.now() - begin)
    })
  })
}
