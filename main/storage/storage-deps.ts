/**
 * What the services built beside the object store share, inside main/storage only: the
 * object store, and the database and event queue its commits go to. Never leaves
 * createStorage (the Storage interface exposes none of it).
 */
import type { Clock } from '../core/clock.ts'
import type { Db } from '../store/db.ts'
import type { EventQueue } from '../store/event-queue.ts'
import type { ObjectStore } from './object-store.ts'

export interface StorageDeps {
  objects: ObjectStore
  db: Db
  queue: EventQueue
  clock: Clock
}
