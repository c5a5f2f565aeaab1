/**
 * Persisted archive restores: one row per restored object version, keyed by the version's
 * blob id (a new write of the same key gets a new blob, so it never inherits a restore).
 * A row with no completed_at is a running job; the restore service re-arms those at start.
 */
import type { RestoreState, RestoreTier } from '../core/cos/restore.ts'
import { migrate, type Db } from './db.ts'
import type { RequestContext } from './object-types.ts'

export interface RestoreJob {
  blobId: string
  bucket: string
  key: string
  versionId: string
  state: RestoreState
  /** The request that asked for the restore; its ids go into the Completed event too. */
  context: RequestContext
}

interface Row {
  blob: string
  bucket: string
  key: string
  version_id: string
  tier: string
  days: number
  requested_at: number
  completes_at: number
  completed_at: number | null
  expires_at: number | null
  context: string
}

export type RestoreJobs = ReturnType<typeof createRestoreJobs>

export function createRestoreJobs(db: Db) {
  migrate(db, 'cos-restores-1', [
    `CREATE TABLE cos_restores (
       blob TEXT PRIMARY KEY,
       bucket TEXT NOT NULL,
       key TEXT NOT NULL,
       version_id TEXT NOT NULL,
       tier TEXT NOT NULL,
       days INTEGER NOT NULL,
       requested_at INTEGER NOT NULL,
       completes_at INTEGER NOT NULL,
       completed_at INTEGER,
       expires_at INTEGER,
       context TEXT NOT NULL
     )`,
    'CREATE INDEX cos_restores_running ON cos_restores (completes_at) WHERE completed_at IS NULL'
  ])
  const s = {
    get: db.prepare('SELECT * FROM cos_restores WHERE blob = ?'),
    put: db.prepare(
      `INSERT OR REPLACE INTO cos_restores
         (blob, bucket, key, version_id, tier, days, requested_at, completes_at, completed_at, expires_at, context)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ),
    running: db.prepare('SELECT * FROM cos_restores WHERE completed_at IS NULL ORDER BY completes_at'),
    remove: db.prepare('DELETE FROM cos_restores WHERE blob = ?')
  }
  return {
    get(blobId: string): RestoreJob | undefined {
      const row = s.get.get(blobId) as Row | undefined
      return row && toJob(row)
    },
    put(job: RestoreJob): void {
      const st = job.state
      s.put.run(
        job.blobId,
        job.bucket,
        job.key,
        job.versionId,
        st.tier,
        st.days,
        st.requestedAt,
        st.completesAt,
        st.completedAt ?? null,
        st.expiresAt ?? null,
        JSON.stringify(job.context)
      )
    },
    running(): RestoreJob[] {
      return (s.running.all() as Row[]).map(toJob)
    },
    remove(blobId: string): void {
      s.remove.run(blobId)
    }
  }
}

function toJob(row: Row): RestoreJob {
  const context = JSON.parse(row.context) as RequestContext
  return {
    blobId: row.blob,
    bucket: row.bucket,
    key: row.key,
    versionId: row.version_id,
    state: {
      tier: row.tier as RestoreTier,
      days: row.days,
      requestedAt: row.requested_at,
      completesAt: row.completes_at,
      completedAt: row.completed_at ?? undefined,
      expiresAt: row.expires_at ?? undefined
    },
    context: { requestId: context.requestId, sourceIp: context.sourceIp, authorization: context.authorization }
  }
}
