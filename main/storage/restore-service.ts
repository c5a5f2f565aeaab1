/**
 * Archive restores over time: POST ?restore starts a job (ObjectRestore:Post is committed
 * with it), a timer on the emulated clock completes it after the tier's duration
 * (ObjectRestore:Completed committed with the state change), and the restored copy is
 * readable until its expiry. Running jobs are in the database and re-armed at start, so a
 * restart (or kill -9) does not lose them.
 */
import type { ClockTimer } from '../core/clock.ts'
import {
  assertReadable,
  completeRestore,
  isArchiveClass,
  parseRestoreRequest,
  planRestore,
  restoreHeaders,
  type RestoreState
} from '../core/cos/restore.ts'
import { objectEvent } from './object-events.ts'
import type { ObjectVersion, RequestContext } from './object-store.ts'
import { createRestoreJobs, type RestoreJob } from '../store/restore-jobs.ts'
import type { StorageDeps } from './storage-deps.ts'

export interface RestoreService {
  /** Start (202) or extend (200) a restore of the version GET would serve, or `versionId`. */
  request(bucket: string, key: string, versionId: string | undefined, body: unknown, ctx: RequestContext): 202 | 200
  /** The restore state of a stored version (undefined for non-archive objects). */
  stateOf(version: ObjectVersion): RestoreState | undefined
  /** 403 InvalidObjectState unless the version may be read (GET) or copied. */
  assertReadable(version: ObjectVersion, operation?: 'GET' | 'Copy'): void
  /** x-cos-restore / x-cos-restore-status for HEAD and GET. */
  headersFor(version: ObjectVersion): Record<string, string>
  /** Re-arm the timers of running jobs (due ones complete at once). */
  start(): void
  stop(): void
}

export function createRestoreService({ objects: store, db, queue, clock }: StorageDeps): RestoreService {
  const jobs = createRestoreJobs(db)
  const timers = new Map<string, ClockTimer>()
  let stopped = false

  function schedule(job: RestoreJob): void {
    if (stopped) return
    const existing = timers.get(job.blobId)
    if (existing) clock.clearTimeout(existing)
    const timer = clock.setTimeout(
      () => {
        timers.delete(job.blobId)
        complete(job.blobId)
      },
      Math.max(0, job.state.completesAt - clock.now())
    )
    timers.set(job.blobId, timer)
  }

  /** The live version a job restores, or undefined when it was overwritten or deleted. */
  function versionOf(job: RestoreJob): ObjectVersion | undefined {
    try {
      const version = store.headObject(job.bucket, job.key, job.versionId === 'null' ? undefined : job.versionId)
      return version.blobId === job.blobId ? version : undefined
    } catch {
      return undefined
    }
  }

  function complete(blobId: string): void {
    if (stopped || !db.open) return
    const appended = db.transaction(() => {
      const job = jobs.get(blobId)
      if (!job || job.state.completedAt !== undefined) return false
      const version = versionOf(job)
      if (!version) {
        jobs.remove(blobId)
        return false
      }
      const now = clock.now()
      jobs.put({ ...job, state: completeRestore(job.state, now) })
      queue.append([event('cos:ObjectRestore:Completed', version, job.context, now)])
      return true
    })()
    if (appended) queue.notify()
  }

  function event(
    name: 'cos:ObjectRestore:Post' | 'cos:ObjectRestore:Completed',
    version: ObjectVersion,
    ctx: RequestContext,
    time: number
  ) {
    const region = store.getBucket(version.bucket).region
    return objectEvent(name, { ...version, region }, ctx, time)
  }

  function stateOf(version: ObjectVersion): RestoreState | undefined {
    if (!isArchiveClass(version.storageClass) || !version.blobId) return undefined
    return jobs.get(version.blobId)?.state
  }

  return {
    request(bucket, key, versionId, body, ctx) {
      const version = store.headObject(bucket, key, versionId)
      const restoreRequest = parseRestoreRequest(body, version.storageClass)
      const result = db.transaction(() => {
        const now = clock.now()
        const current = version.blobId ? jobs.get(version.blobId) : undefined
        const plan = planRestore(version.storageClass, current?.state, restoreRequest, now)
        const job: RestoreJob = {
          blobId: version.blobId as string,
          bucket,
          key,
          versionId: version.versionId,
          state: plan.state,
          context: plan.kind === 'start' ? ctx : (current?.context ?? ctx)
        }
        jobs.put(job)
        if (plan.kind === 'start') queue.append([event('cos:ObjectRestore:Post', version, ctx, now)])
        return { job, kind: plan.kind }
      })()
      if (result.kind === 'start') {
        queue.notify()
        schedule(result.job)
        return 202
      }
      return 200
    },
    stateOf,
    assertReadable(version, operation = 'GET') {
      assertReadable(version.storageClass, stateOf(version), clock.now(), operation)
    },
    headersFor(version) {
      return restoreHeaders(stateOf(version), clock.now())
    },
    start() {
      for (const job of jobs.running()) schedule(job)
    },
    stop() {
      stopped = true
      for (const timer of timers.values()) clock.clearTimeout(timer)
      timers.clear()
    }
  }
}
