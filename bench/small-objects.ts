/** 4 KiB PUT and GET: throughput and p50/p99 latency at each concurrency. */
import { randomBytes } from 'node:crypto'
import { Client, objectPath } from './client.ts'
import { forEachConcurrent, runLoad, type LoadResult } from './load.ts'
import type { RunningServer } from './servers.ts'

export interface SmallObjectResults {
  put: LoadResult[]
  get: LoadResult[]
}

export interface SmallObjectOptions {
  concurrencies: number[]
  durationMs: number
  warmupMs: number
}

const SIZE = 4096
const GET_KEYS = 1000

export async function benchSmallObjects(
  server: RunningServer,
  options: SmallObjectOptions
): Promise<SmallObjectResults> {
  const client = new Client(server.port, Math.max(...options.concurrencies))
  const body = randomBytes(SIZE)
  const expectStatus = (want: number, got: number, what: string): void => {
    if (got !== want) throw new Error(`${what}: HTTP ${got}`)
  }
  try {
    await client.createBucket()
    const put: LoadResult[] = []
    for (const c of options.concurrencies) {
      const op = async (i: number): Promise<void> => {
        const reply = await client.request('PUT', objectPath(`small/c${c}/${i}`), { body })
        expectStatus(200, reply.status, 'PUT')
      }
      put.push(await runLoad(op, c, options.durationMs, options.warmupMs, server.cpuMs))
    }

    await forEachConcurrent(GET_KEYS, 16, async (i) => {
      await client.ok('PUT', objectPath(`get/${i}`), { body })
    })
    const get: LoadResult[] = []
    for (const c of options.concurrencies) {
      const op = async (i: number): Promise<void> => {
        const reply = await client.request('GET', objectPath(`get/${(i * 7919) % GET_KEYS}`))
        expectStatus(200, reply.status, 'GET')
        if (reply.bytes !== SIZE) throw new Error(`GET returned ${reply.bytes} bytes`)
      }
      get.push(await runLoad(op, c, options.durationMs, options.warmupMs, server.cpuMs))
    }
    return { put, get }
  } finally {
    client.close()
  }
}
