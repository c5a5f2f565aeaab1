/**
 * A real COS server for tests: a temp data dir, the storage service (createStorage, as
 * createApp builds it) and the COS API on port 0. Clients for both official SDKs point at it.
 */
import { afterAll, beforeAll } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import COS from 'cos-nodejs-sdk-v5'
import { createSystemClock, type Clock } from '../../main/core/clock.ts'
import type { ObjectEvent } from '../../main/core/events/object-event.ts'
import { startCosServer } from '../../main/cos-api/server.ts'
import { createStorage, type OpenedStorage, type StorageService } from '../../main/storage/create-storage.ts'
import type { Db } from '../../main/store/db.ts'
import type { WriterThread } from '../../main/store/writer-thread.ts'
import type { EventQueue } from '../../main/store/event-queue.ts'

export const APPID = '1250000000'
export const REGION = 'ap-guangzhou'

export interface TestCosServer {
  port: number
  endpoint: string
  store: StorageService
  /** The adapters below storage, for tests that look at queued events or table rows. */
  queue: EventQueue
  db: Db
  /** The thread that commits the PUTs' group commits (undefined if it did not start). */
  writer: WriterThread | undefined
  dataDir: string
  close(): Promise<void>
}

export interface TestCosServerOptions {
  dataDir?: string
  clock?: Clock
  fsync?: boolean
  /** Verify signatures against these keys (default: open mode). */
  credentials?: { secretId: string; secretKey: string }[]
  /** Commit the group commits on the writer thread (store/writer-thread.ts). */
  writerThread?: boolean
}

/** The storage service without a server, on `dataDir` (close() closes the database). */
export function openTestStore(
  dataDir: string,
  options: {
    clock?: Clock
    fsync?: boolean
    orphanSweepDelayMs?: number
    walLimitFrames?: number
    writerThread?: boolean
  } = {}
): OpenedStorage & { store: StorageService } {
  const opened = createStorage({
    dataDir,
    clock: options.clock ?? createSystemClock(),
    fsync: options.fsync,
    appid: APPID,
    defaultRegion: REGION,
    orphanSweepDelayMs: options.orphanSweepDelayMs,
    walLimitFrames: options.walLimitFrames,
    writerThread: options.writerThread
  })
  return { ...opened, store: opened.storage }
}

export async function startTestCosServer(options: TestCosServerOptions = {}): Promise<TestCosServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cos-local-test-'))
  const clock = options.clock ?? createSystemClock()
  const opened = openTestStore(dataDir, { clock, fsync: options.fsync, writerThread: options.writerThread })
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
    writer: opened.writer,
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

export interface CosServerFixture {
  /** The server (a temp data dir, port 0); read inside tests and hooks, after beforeAll ran. */
  readonly server: TestCosServer
  /** cos-nodejs-sdk-v5 pointed at it (virtual-host Host header). */
  readonly cos: COS
  /** @aws-sdk/client-s3 pointed at it (path-style). */
  readonly s3: S3Client
}

export interface UseCosServerOptions extends TestCosServerOptions {
  /** Buckets created through the COS SDK before the tests (region defaults to ap-guangzhou). */
  buckets?: (string | { Bucket: string; Region: string })[]
}

/**
 * The one server fixture of the integration tests: registers beforeAll/afterAll hooks that start
 * a real COS server on port 0 in a temp folder, make both SDK clients and create the buckets,
 * then close the server and remove the folder.
 */
export function useCosServer(options: UseCosServerOptions = {}): CosServerFixture {
  let started: CosServerFixture | undefined
  beforeAll(async () => {
    const server = await startTestCosServer(options)
    const cos = cosClient(server.port)
    started = { server, cos, s3: s3Client(server.port) }
    for (const bucket of options.buckets ?? []) {
      const { Bucket, Region } = typeof bucket === 'string' ? { Bucket: bucket, Region: REGION } : bucket
      await cos.putBucket({ Bucket, Region })
    }
  })
  afterAll(() => started?.server.close())
  const get = (): CosServerFixture => {
    if (!started) throw new Error('useCosServer: the server starts in beforeAll; read it inside tests and hooks')
    return started
  }
  return {
    get server() {
      return get().server
    },
    get cos() {
      return get().cos
    },
    get s3() {
      return get().s3
    }
  }
}
