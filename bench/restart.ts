/** Restart time: from spawning the server on an existing data dir to the first successful List Objects. */
import { BUCKET, Client } from './client.ts'
import { median } from './load.ts'
import { settleDisk, spawnServer, type Peer } from './servers.ts'

export interface RestartResult {
  /** Median ms from spawn to the first 200 on List Objects. */
  firstListMs: number
  /** Median ms from spawn to the port being printed. */
  listeningMs: number
  runs: number
}

export async function benchRestart(peer: Peer, dataDir: string, runs = 3): Promise<RestartResult> {
  const firstList: number[] = []
  const listening: number[] = []
  for (let r = 0; r < runs; r++) {
    settleDisk()
    const { spawnedAt, ready } = spawnServer(peer, dataDir)
    const server = await ready
    listening.push(performance.now() - spawnedAt)
    const client = new Client(server.port, 1)
    try {
      const deadline = performance.now() + 60_000
      for (;;) {
        if (performance.now() > deadline)
          throw new Error(`${peer.name}: no successful List Objects within 60 s of restart`)
        const reply = await client.request('GET', `/${BUCKET}?max-keys=1`).catch(() => undefined)
        if (reply?.status === 200) break
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      firstList.push(performance.now() - spawnedAt)
    } finally {
      client.close()
      await server.stop()
    }
  }
  return { firstListMs: median(firstList), listeningMs: median(listening), runs }
}
