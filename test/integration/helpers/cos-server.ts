/**
 * A real COS server for tests: a temp data dir, the storage service (createStorage, as
 * createApp builds it) and the COS API on port 0. Clients for both official SDKs point at it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import COS from 'cos-nodejs-sdk-v5'
import { createSystemClock, type Clock } from '../../../main/core/clock.ts'
import type { ObjectEvent } from '../../../main/core/events/object-event.ts'
import { startCosServer } from '../../../main/cos-api/server.ts'
import { createStorage, type OpenedStorage, type StorageService } from '../../../main/storage/create-storage.ts'
import type { Db } from '../../../main/store/db.ts'
import type { EventQueue } from '../../../main/store/event-queue.ts'

export const APPID = '1250000000'
export const REGION = 'ap-guangzhou'

export interface TestCosServer {
  port: number
  endpoint: string
  store: StorageService
  /** The adapters below storage, for tests that look at queued events or table rows. */
  queue: EventQueue
  db: Db
  dataDir: string
  close(): Promise<void>
}

export interface TestCosServerOptions {
  dataDir?: string
  clock?: Clock
  fsync?: boolean
  /** Verify signatures against these keys (default: open mode). */
  credentials?: { secretId: string; secretKey: string }[]
}

/** The storage service without a server, on `dataDir` (close() closes the database). */
export function openTestStore(
  dataDir: string,
  options: { clock?: Clock; fsync?: boolean; orphanSweepDelayMs?: number } = {}
): OpenedStorage & { store: StorageService } {
  const opened = createStorage({
    dataDir,
    clock: options.clock ?? createSystemClock(),
    fsync: options.fsync,
    appid: APPID,
    defaultRegion: REGION,
    orphanSweepDelayMs: options.orphanSweepDelayMs
  })
  return { ...opened, store: opened.storage }
}

export async function startTestCosServer(options: TestCosServerOptions = {}): Promise<TestCosServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cos-local-test-'))
  const clock = options.clock ?? createSystemClock()
  const opened = openTestStore(dataDir, { clock, fsync: options.fsync })
  const server = await startCosServer({
    storage: opened.storage,
    host: '127.0.0.1',
    port: 0,
    appid: APPID,
    defaultRegion: REGION,
    clock,
    credentials: options.credentials
  })
  return {
    port: server.port,
    endpoint: `http://127.0.0.1:${server.port}`,
    store: opened.storage,
    queue: opened.queue,
    db: opened.db,
    dataDir,
    async close() {
      await server.close()
      await opened.close()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** cos-nodejs-sdk-v5 in virtual-host mode (its only mode), connecting to the local port. */
export function cosClient(port: number): COS {
  return new COS({ SecretId: 'AKIDtest', SecretKey: 'test', Protocol: 'http:', Ip: `127.0.0.1:${port}` })
}

/** @aws-sdk/client-s3 in path-style mode. */
export function s3Client(port: number): S3Client {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: REGION,
    credentials: { accessKeyId: 'AKIDtest', secretAccessKey: 'test' }
  })
}

/** A reader of the queue: each call returns the events appended since the previous call. */
export function eventReader(queue: () => EventQueue): () => ObjectEvent[] {
  let seen = 0
  return () => {
    const pending = queue().pending(seen, 10_000)
    if (pending.length > 0) seen = pending[pending.length - 1]!.seq
    return pending.map((p) => p.event)
  }
}
