/**
 * Persisted replication work: the cursor into the event log, and one task per replicated
 * change (a new object version or a delete marker) with its status, which is also what
 * `x-cos-replication-status` shows (PENDING / COMPLETED / FAILED on the source version,
 * REPLICA on the copy).
 */
import type { ReplicationStatus } from '../core/cos/replication.ts'
import { migrate, type Db } from './db.ts'

export interface ReplicationTask {
  id: number
  kind: 'object' | 'delete-marker'
  sourceBucket: string
  key: string
  /** Source version id (of the object or of the delete marker). */
  versionId: string
  destinationBucket: string
  /** The replica's class; null keeps the source's. */
  storageClass: string | null
  dueAt: number
  status: Exclude<ReplicationStatus, 'REPLICA'>
  /** The request id the replica's write carries (so its own events are known as replicas). */
  requestId: string
  error: string
}

interface Row {
  id: number
  kind: string
  source_bucket: string
  key: string
  version_id: string
  destination_bucket: string
  storage_class: string | null
  due_at: number
  status: string
  request_id: string
  error: string
}

export type ReplicationTasks = ReturnType<typeof createReplicationTasks>

export function createReplicationTasks(db: Db) {
  migrate(db, 'cos-replication-1', [
    'CREATE TABLE cos_replication_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL)',
    `CREATE TABLE cos_replication_tasks (
       id INTEGER PRIMARY KEY,
       kind TEXT NOT NULL,
       source_bucket TEXT NOT NULL,
       key TEXT NOT NULL,
       version_id TEXT NOT NULL,
       destination_bucket TEXT NOT NULL,
       storage_class TEXT,
       due_at INTEGER NOT NULL,
       status TEXT NOT NULL,
       request_id TEXT NOT NULL,
       error TEXT NOT NULL DEFAULT ''
     )`,
    'CREATE INDEX cos_replication_source ON cos_replication_tasks (source_bucket, key, version_id)',
    'CREATE INDEX cos_replication_destination ON cos_replication_tasks (destination_bucket, key, version_id)',
    'CREATE INDEX cos_replication_request ON cos_replication_tasks (request_id)',
    "CREATE INDEX cos_replication_pending ON cos_replication_tasks (due_at) WHERE status = 'PENDING'"
  ])
  const s = {
    cursor: db.prepare('SELECT seq FROM cos_replication_cursor WHERE id = 1'),
    setCursor: db.prepare('INSERT OR REPLACE INTO cos_replication_cursor (id, seq) VALUES (1, ?)'),
    insert: db.prepare(
      `INSERT INTO cos_replication_tasks
         (kind, source_bucket, key, version_id, destination_bucket, storage_class, due_at, status, request_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)`
    ),
    get: db.prepare('SELECT * FROM cos_replication_tasks WHERE id = ?'),
    pending: db.prepare("SELECT * FROM cos_replication_tasks WHERE status = 'PENDING' ORDER BY due_at, id"),
    finish: db.prepare('UPDATE cos_replication_tasks SET status = ?, error = ? WHERE id = ?'),
    sourceStatus: db.prepare(
      'SELECT status FROM cos_replication_tasks WHERE source_bucket = ? AND key = ? AND version_id = ? ORDER BY id DESC LIMIT 1'
    ),
    isReplica: db.prepare(
      "SELECT 1 AS one FROM cos_replication_tasks WHERE destination_bucket = ? AND key = ? AND version_id = ? AND kind = 'object' AND status = 'COMPLETED' LIMIT 1"
    ),
    byRequest: db.prepare('SELECT 1 AS one FROM cos_replication_tasks WHERE request_id = ? LIMIT 1')
  }
  return {
    cursor(): number {
      const row = s.cursor.get() as { seq: number } | undefined
      return row?.seq ?? 0
    },
    setCursor(seq: number): void {
      s.setCursor.run(seq)
    },
    insert(task: Omit<ReplicationTask, 'id' | 'status' | 'error'>): number {
      const info = s.insert.run(
        task.kind,
        task.sourceBucket,
        task.key,
        task.versionId,
        task.destinationBucket,
        task.storageClass,
        task.dueAt,
        task.requestId
      )
      return Number(info.lastInsertRowid)
    },
    get(id: number): ReplicationTask | undefined {
      const row = s.get.get(id) as Row | undefined
      return row && toTask(row)
    },
    pending(): ReplicationTask[] {
      return (s.pending.all() as Row[]).map(toTask)
    },
    finish(id: number, status: 'COMPLETED' | 'FAILED', error = ''): void {
      s.finish.run(status, error, id)
    },
    /** x-cos-replication-status of a version: its source status, REPLICA, or undefined. */
    statusOf(bucket: string, key: string, versionId: string): ReplicationStatus | undefined {
      const row = s.sourceStatus.get(bucket, key, versionId) as { status: string } | undefined
      if (row) return row.status as ReplicationStatus
      return s.isReplica.get(bucket, key, versionId) ? 'REPLICA' : undefined
    },
    /** Whether a write with this request id was made by replication. */
    madeByReplication(requestId: string): boolean {
      return s.byRequest.get(requestId) !== undefined
    }
  }
}

function toTask(row: Row): ReplicationTask {
  return {
    id: row.id,
    kind: row.kind as ReplicationTask['kind'],
    sourceBucket: row.source_bucket,
    key: row.key,
    versionId: row.version_id,
    destinationBucket: row.destination_bucket,
    storageClass: row.storage_class,
    dueAt: row.due_at,
    status: row.status as ReplicationTask['status'],
    requestId: row.request_id,
    error: row.error
  }
}
