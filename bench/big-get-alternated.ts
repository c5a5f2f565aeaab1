/**
 * Large GETs of COS Local and the null server alternated GET by GET in one run (each
 * server in its own process, both up at once): the ratio of two rates taken seconds apart
 * under the same machine state, where the big-object table's peers run minutes apart and a
 * shared machine's load drifts in between. Read with the lean client (lean-connection.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mbPerSec, source } from './big-object.ts'
import { Client, objectPath } from './client.ts'
import { leanGet } from './lean-connection.ts'
import { startServer, type Peer, type RunningServer } from './servers.ts'

export interface AlternatedGets {
  /** MB/s of each round's GET, COS Local and the null server. */
  cos: number[]
  null: number[]
  /** COS Local / null server per round, %. */
  ratios: number[]
}

export async function alternatedGets(
  cosPeer: Peer,
  nullPeer: Peer,
  size: number,
  rounds: number
): Promise<AlternatedGets> {
  const path = objectPath('big/alternated.bin')
  const started: { server: RunningServer; dir: string }[] = []
  try {
    for (const peer of [cosPeer, nullPeer]) {
      const dir = mkdtempSync(join(tmpdir(), 'cos-bench-'))
      started.push({ server: await startServer(peer, dir), dir })
    }
    for (const { server } of started) {
      const client = new Client(server.port, 1)
      try {
        await client.createBucket()
        await client.ok('PUT', path, { body: source(size), contentLength: size })
      } finally {
        client.close()
      }
    }
    const result: AlternatedGets = { cos: [], null: [], ratios: [] }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0]
      const rates: number[] = []
      for (const index of order) {
        const { server } = started[index]!
        const begin = performance.now()
        const reply = await leanGet(server.port, path)
        if (reply.status !== 200 || reply.bytes !== size)
          throw new Error(`${server.peer.name} GET: ${reply.status}, ${reply.bytes} bytes`)
        rates[index] = mbPerSec(size, performance.now() - begin)
      }
      result.cos.push(rates[0]!)
      result.null.push(rates[1]!)
      result.ratios.push((rates[0]! / rates[1]!) * 100)
    }
    return result
  } finally {
    for (const { server, dir } of started) {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
