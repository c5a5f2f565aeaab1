/**
 * Cross-bucket replication. The bucket's configuration is validated and stored on PUT
 * ?replication (both buckets versioned). The service follows the event log with its own
 * durable cursor: every change committed in a configured source bucket after the rule was
 * added is checked against the rules (core/cos/replication.ts) and becomes a PENDING task
 * in the same transaction that moves the cursor. A timer on the clock then copies the
 * version (bytes, metadata, version id) to the destination, which emits
 * cos:ObjectCreated:Replication there, and the task turns COMPLETED (or FAILED with a
 * reason). Replicas' own events are recognised and never replicated again.
 */
import type { ClockTimer } from '../core/clock.ts'
import { CosError } from '../core/cos/errors.ts'
import {
  decideReplication,
  parseReplicationConfiguration,
  type ReplicationConfiguration,
  type SourceChange
} from '../core/cos/replication.ts'
import { createRequestIdSource } from '../core/cos/request-id.ts'
import type { StorageClass } from '../core/cos/storage-class.ts'
import type { ObjectEvent } from '../core/events/object-event.ts'
import type { BucketConfigs } from './bucket-configs.ts'
import type { ObjectVersion, RequestContext } from './object-store.ts'
import { createReplicationTasks, type ReplicationTask } from '../store/replication-tasks.ts'
import type { StorageDeps } from './storage-deps.ts'

/** Emulated delay between a write and its replica. */
export const REPLICATION_DELAY_MS = 1000
const CONFIG = 'replication'
const BATCH = 500

interface StoredConfig {
  config: ReplicationConfiguration
  /** Emulated time the rules were put: only later changes are replicated. */
  since: number
}

export interface ReplicationService {
  putConfiguration(bucket: string, body: unknown): void
  /** ReplicationConfigurationnotFoundError (404) when unset. */
  getConfiguration(bucket: string): ReplicationConfiguration
  deleteConfiguration(bucket: string): void
  /** `x-cos-replication-status` of a stored version, if it takes part in replication. */
  headersFor(version: ObjectVersion, amz: boolean): Record<string, string>
  /** Turn new log entries into tasks (runs on every commit; exposed for tests). */
  scan(): void
  start(): void
  stop(): void
}

export function createReplicationService(
  { objects: store, db, queue, clock }: StorageDeps,
  configs: BucketConfigs
): ReplicationService {
  const tasks = createReplicationTasks(db)
  const nextRequestId = createRequestIdSource(() => clock.now())
  const timers = new Map<number, ClockTimer>()
  let involved = new Set<string>()
  let sources = new Set<string>()
  let stopped = false
  let scanning = false
  let unsubscribe: (() => void) | undefined

  function stored(bucket: string): StoredConfig | undefined {
    let text: string | undefined
    try {
      text = configs.get(bucket, CONFIG)
    } catch {
      return undefined // the bucket is gone
    }
    return text === undefined ? undefined : (JSON.parse(text) as StoredConfig)
  }

  /** Buckets whose versions may carry x-cos-replication-status: sources and destinations. */
  function refreshInvolved(): void {
    const next = new Set<string>()
    const nextSources = new Set<string>()
    for (const bucket of configs.bucketsWith(CONFIG)) {
      const config = stored(bucket)?.config
      if (!config) continue
      next.add(bucket)
      nextSources.add(bucket)
      for (const rule of config.rules) next.add(rule.destination.bucket)
    }
    involved = next
    sources = nextSources
  }

  function changeOf(event: ObjectEvent): SourceChange | undefined {
    const name = event.name
    if (name.startsWith('cos:ObjectCreated:')) {
      let storageClass: string
      try {
        storageClass = store.headObject(event.bucket, event.key, event.versionId || undefined).storageClass
      } catch {
        return undefined // overwritten or deleted before we looked
      }
      const causedBy = name === 'cos:ObjectCreated:Replication' ? 'replication' : 'client'
      return { kind: 'object', key: event.key, storageClass, causedBy }
    }
    if (name === 'cos:ObjectRemove:DeleteMarkerCreated') {
      const causedBy = tasks.madeByReplication(event.requestId) ? 'replication' : 'client'
      return { kind: 'delete-marker', key: event.key, causedBy }
    }
    if (name === 'cos:ObjectRemove:Delete') return { kind: 'version-delete', key: event.key }
    return undefined
  }

  // Without rules nothing needs the old log (see scan), so replication then holds nothing back.
  queue.addReader(() => (sources.size === 0 ? Number.MAX_SAFE_INTEGER : tasks.cursor()))

  function scan(): void {
    // Without any rules nothing can replicate: writes then cost no extra query. Events from
    // this time are older than any rule put later, so skipping them loses nothing.
    if (stopped || scanning || !db.open || sources.size === 0) return
    scanning = true
    try {
      for (;;) {
        const batch = queue.since(tasks.cursor(), BATCH)
        if (batch.length === 0) break
        const created = db.transaction(() => {
          const ids: number[] = []
          const cache = new Map<string, StoredConfig | undefined>()
          for (const { event } of batch) {
            if (!cache.has(event.bucket)) cache.set(event.bucket, stored(event.bucket))
            const entry = cache.get(event.bucket)
            if (!entry || event.time < entry.since) continue
            const change = changeOf(event)
            if (!change) continue
            const decision = decideReplication(entry.config, change)
            if (!decision.replicate) continue
            ids.push(
              tasks.insert({
                kind: change.kind === 'object' ? 'object' : 'delete-marker',
                sourceBucket: event.bucket,
                key: event.key,
                versionId: event.versionId || 'null',
                destinationBucket: decision.rule.destination.bucket,
                storageClass: decision.storageClass ?? null,
                dueAt: clock.now() + REPLICATION_DELAY_MS,
                requestId: nextRequestId()
              })
            )
          }
          tasks.setCursor(batch[batch.length - 1].seq)
          return ids
        })()
        for (const id of created) {
          const task = tasks.get(id)
          if (task) schedule(task)
        }
        if (batch.length < BATCH) break
      }
    } finally {
      scanning = false
    }
  }

  function schedule(task: ReplicationTask): void {
    if (stopped) return
    const timer = clock.setTimeout(
      () => {
        timers.delete(task.id)
        execute(task.id).catch(() => {
          // the store closed while copying; the task stays PENDING and runs after restart
        })
      },
      Math.max(0, task.dueAt - clock.now())
    )
    timers.set(task.id, timer)
  }

  async function execute(id: number): Promise<void> {
    if (stopped || !db.open) return
    const task = tasks.get(id)
    if (!task || task.status !== 'PENDING') return
    const ctx: RequestContext = { requestId: task.requestId, sourceIp: '', authorization: '' }
    let outcome: { status: 'COMPLETED' | 'FAILED'; error: string }
    try {
      store.getBucket(task.destinationBucket)
      if (task.kind === 'delete-marker') {
        // The replica marker keeps the source marker's version id, as COS does.
        const markerId = task.versionId === 'null' ? undefined : task.versionId
        if (markerId === undefined || !markerIn(task.destinationBucket, task.key, markerId)) {
          store.deleteObject(task.destinationBucket, task.key, undefined, ctx, markerId)
        }
      } else {
        await copyVersion(task, ctx)
      }
      outcome = { status: 'COMPLETED', error: '' }
    } catch (error) {
      if (stopped || !db.open) throw error
      outcome = { status: 'FAILED', error: error instanceof Error ? error.message : String(error) }
    }
    if (!stopped && db.open) tasks.finish(id, outcome.status, outcome.error)
  }

  async function copyVersion(task: ReplicationTask, ctx: RequestContext): Promise<void> {
    const versionId = task.versionId === 'null' ? undefined : task.versionId
    if (versionId !== undefined && existsIn(task.destinationBucket, task.key, versionId)) return // already copied
    const opened = await store.openObject(task.sourceBucket, task.key, versionId)
    const { version } = opened
    await store.putObject(
      task.destinationBucket,
      task.key,
      opened.body,
      {
        headers: version.headers,
        storageClass: (task.storageClass ?? version.storageClass) as StorageClass,
        contentLength: version.size,
        event: 'cos:ObjectCreated:Replication',
        versionId
      },
      ctx
    )
  }

  /** Whether the delete marker `versionId` is already there (a retried task after a restart). */
  function markerIn(bucket: string, key: string, versionId: string): boolean {
    try {
      store.headObject(bucket, key, versionId)
      return true
    } catch (error) {
      return error instanceof CosError && error.code === 'MethodNotAllowed'
    }
  }

  function existsIn(bucket: string, key: string, versionId: string): boolean {
    try {
      store.headObject(bucket, key, versionId)
      return true
    } catch {
      return false
    }
  }

  return {
    putConfiguration(bucket, body) {
      const source = store.getBucket(bucket)
      const config = parseReplicationConfiguration(body)
      if (source.versioning !== 'Enabled') {
        throw new CosError(
          'InvalidRequest',
          `Versioning must be Enabled on the source bucket "${bucket}" before it can replicate.`
        )
      }
      const target = config.rules[0].destination
      if (target.bucket === bucket) {
        throw new CosError('InvalidRequest', 'The destination bucket must differ from the source bucket.')
      }
      let destination
      try {
        destination = store.getBucket(target.bucket)
      } catch {
        throw new CosError('InvalidRequest', `The destination bucket "${target.bucket}" does not exist.`)
      }
      if (target.region !== '' && target.region !== destination.region) {
        throw new CosError(
          'InvalidRequest',
          `The destination bucket "${target.bucket}" is in ${destination.region}, not ${target.region}.`
        )
      }
      if (destination.versioning !== 'Enabled') {
        throw new CosError(
          'InvalidRequest',
          `Versioning must be Enabled on the destination bucket "${target.bucket}" before replicating to it.`
        )
      }
      configs.put(bucket, CONFIG, JSON.stringify({ config, since: clock.now() } satisfies StoredConfig))
      refreshInvolved()
    },
    getConfiguration(bucket) {
      const entry = stored(bucket)
      if (!entry) {
        store.getBucket(bucket) // NoSuchBucket first
        // The SDK (cos-nodejs-sdk-v5) recognises this spelling as "no configuration".
        throw new CosError('ReplicationConfigurationnotFoundError', 'The replication configuration was not found.', {
          status: 404
        })
      }
      return entry.config
    },
    deleteConfiguration(bucket) {
      configs.delete(bucket, CONFIG)
      refreshInvolved()
    },
    headersFor(version, amz) {
      if (!involved.has(version.bucket)) return {}
      const status = tasks.statusOf(version.bucket, version.key, version.versionId)
      return status ? { [amz ? 'x-amz-replication-status' : 'x-cos-replication-status']: status } : {}
    },
    scan,
    start() {
      refreshInvolved()
      unsubscribe = queue.subscribe(scan)
      scan()
      for (const task of tasks.pending()) schedule(task)
    },
    stop() {
      stopped = true
      unsubscribe?.()
      for (const timer of timers.values()) clock.clearTimeout(timer)
      timers.clear()
    }
  }
}
