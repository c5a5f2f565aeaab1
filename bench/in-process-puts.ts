/**
 * The storage and the event system of one tree (`root`: where its main/ is, so a copy of another
 * commit's sources can be measured the same way), opened in this process in a temp folder, with
 * one bucket and groups of 4 KiB PUTs: `group` `putObject` calls started together, so they share
 * one group commit (with the bus's in-commit fan-out: history rows, no trigger). Used by the
 * benches that measure the write path without HTTP (put-commit-cpu.ts, wal-pages.ts).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import type * as Clock from '../main/core/clock.ts'
import type * as EventSystem from '../main/event-system.ts'
import type * as CreateStorage from '../main/storage/create-storage.ts'

export interface InProcessPuts {
  dataDir: string
  /** One group of PUTs of new keys, awaited. */
  round(): Promise<unknown>
  /** Stops the bus, closes the store and removes the folder (`keep`: leave the folder). */
  close(keep?: boolean): Promise<void>
}

/**
 * `randomKeys`: each PUT's key is random (every index entry lands on a random page, as keys from
 * many clients or UUIDs do) instead of one counter's (`cpu/N`: the entries cluster).
 */
export async function openInProcessPuts(
  root: string,
  group: number,
  fsync = false,
  randomKeys = false
): Promise<InProcessPuts> {
  const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, path)).href)) as T
  const { createStorage } = await load<typeof CreateStorage>('main/storage/create-storage.ts')
  const { createEventSystem } = await load<typeof EventSystem>('main/event-system.ts')
  const { createSystemClock } = await load<typeof Clock>('main/core/clock.ts')

  const dataDir = mkdtempSync(join(tmpdir(), 'cos-in-process-'))
  const clock = createSystemClock(1)
  const appid = '1250000000'
  const region = 'ap-guangzhou'
  const opened = createStorage({ dataDir, clock, fsync, appid, defaultRegion: region })
  const events = createEventSystem({ db: opened.db, queue: opened.queue, dataDir, clock, appid, region })
  events.start()
  const bucket = `bench-${appid}`
  opened.storage.createBucket(bucket, region)
  const body = Buffer.alloc(4096, 7)
  let n = 0
  const put = (): Promise<unknown> =>
    opened.storage.putObject(
      bucket,
      randomKeys ? `cpu/${randomUUID()}` : `cpu/${n}`,
      Readable.from([body]),
      { contentLength: body.length, storageClass: 'STANDARD', headers: { 'Content-Type': 'application/octet-stream' } },
      { requestId: Buffer.from(`bench_${n++}`).toString('base64'), sourceIp: '127.0.0.1', authorization: '' }
    )
  return {
    dataDir,
    round: () => Promise.all(Array.from({ length: group }, put)),
    async close(keep = false) {
      await events.stop()
      await opened.close()
      if (!keep) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
