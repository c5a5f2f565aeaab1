/**
 * createStorage: the storage service composed from its adapters. It opens the database
 * (object metadata, event queue, bucket configurations, restore jobs, replication tasks) and
 * the blob files of a data folder, builds the object store and the services beside it, and
 * starts their timers (archive restores, replication). The COS API and the app API get
 * `storage`, which exposes neither the database, the queue nor the clock; the composition
 * root also gets the database and the queue, which the event bus shares.
 */
import type { Clock } from '../core/clock.ts'
import { createBucketConfigTable } from '../store/bucket-config-table.ts'
import { databaseFile, openDatabase, type Db } from '../store/db.ts'
import { EventQueue } from '../store/event-queue.ts'
import { emptyWalAtClose, startWalCheckpointer } from '../store/wal-checkpointer.ts'
import { startWriterThread, type WriterThread } from '../store/writer-thread.ts'
import { createBucketConfigs, type BucketConfigs } from './bucket-configs.ts'
import { createObjectStore, type ObjectStore } from './object-store.ts'
import { createReplicationService, type ReplicationService } from './replication-service.ts'
import { createRestoreService, type RestoreService } from './restore-service.ts'

export type * from '../store/object-types.ts'
export type { BucketConfigs } from './bucket-configs.ts'

/** What the COS API and the app API see of storage. */
export interface StorageService extends Omit<ObjectStore, 'idle'> {
  /** Bucket sub-resource documents (origin, replication, cors, tagging, …). */
  readonly configs: BucketConfigs
  /** Archive restores: jobs on the clock, read checks, x-cos-restore headers. */
  readonly restores: Omit<RestoreService, 'start' | 'stop'>
  /** Cross-bucket replication: rules, tasks on the clock, x-cos-replication-status. */
  readonly replication: Omit<ReplicationService, 'start' | 'stop'>
}

export interface StorageOptions {
  dataDir: string
  clock: Clock
  /** fsync blobs, directories and commits (survive a machine crash, not only kill -9). */
  fsync?: boolean
  appid: string
  defaultRegion: string
  /** How long after start the orphan-blob sweep begins (default 2 s). */
  orphanSweepDelayMs?: number
  /** The WAL size in pages past which it starts over (wal-checkpointer.ts; tests make it small). */
  walLimitFrames?: number
  /**
   * Commit the PUTs' group commits on a thread of their own (store/writer-thread.ts). Off unless
   * true or the environment has COS_LOCAL_WRITER_THREAD=1: on 2 cores it costs more CPU than it
   * frees (README, Benchmarks).
   */
  writerThread?: boolean
}

export interface OpenedStorage {
  storage: StorageService
  /** The shared database: the event bus keeps its records in it. For the composition root. */
  db: Db
  /** The durable queue every commit appends its ObjectEvents to: the event bus consumes it. */
  queue: EventQueue
  /** The thread that commits the PUTs' group commits, if it started. */
  writer: WriterThread | undefined
  /** Stop the timers and background work, wait for it, then close the database. */
  close(): Promise<void>
}

export function createStorage(options: StorageOptions): OpenedStorage {
  const { dataDir, clock, appid, defaultRegion } = options
  const fsync = options.fsync ?? false
  const db = openDatabase(dataDir, { fsync })
  const checkpointer = startWalCheckpointer(db, databaseFile(dataDir), { fsync, limitFrames: options.walLimitFrames })
  const queue = new EventQueue(db)
  const useWriter = options.writerThread ?? process.env.COS_LOCAL_WRITER_THREAD === '1'
  const writer = useWriter ? startWriterThread(db, databaseFile(dataDir), { fsync }) : undefined
  const objects = createObjectStore({
    db,
    queue,
    dataDir,
    clock,
    fsync,
    appid,
    defaultRegion,
    orphanSweepDelayMs: options.orphanSweepDelayMs,
    writer
  })
  const deps = { objects, db, queue, clock }
  const configs = createBucketConfigs(createBucketConfigTable(db), objects)
  const restores = createRestoreService(deps)
  const replication = createReplicationService(deps, configs)
  restores.start()
  replication.start()

  const { idle, ...objectApi } = objects
  let closed: Promise<void> | undefined
  return {
    storage: { ...objectApi, configs, restores, replication },
    db,
    queue,
    writer,
    close() {
      closed ??= (async () => {
        restores.stop()
        replication.stop()
        await idle()
        await writer?.close()
        await checkpointer.close()
        emptyWalAtClose(db)
        db.close()
      })()
      return closed
    }
  }
}
