/**
 * What handlers need beyond the object store: the credentials (for signatures carried in
 * a POST form), the clock, and the storage features built beside the store (bucket
 * configurations, archive restores, replication). Built once per server; `stop()` clears
 * their timers before the database closes.
 */
import type { Clock } from '../core/clock.ts'
import type { SecretLookup } from '../core/cos/signature-check.ts'
import { createBucketConfigStore, type BucketConfigStore } from '../storage/bucket-config-store.ts'
import type { ObjectStore } from '../storage/object-store.ts'
import { createReplicationService, type ReplicationService } from '../storage/replication-service.ts'
import { createRestoreService, type RestoreService } from '../storage/restore-service.ts'
import type { Credential } from './auth.ts'

export interface CosFeatures {
  /** The secret of an access key id; undefined in open mode (no credentials configured). */
  secretFor: SecretLookup | undefined
  clock: Clock
  /** Bucket sub-resource documents (origin, replication, cors, tagging, …). */
  configs: BucketConfigStore
  /** Archive restores: jobs on the clock, read checks, x-cos-restore headers. */
  restores: RestoreService
  /** Cross-bucket replication: rules, tasks on the clock, x-cos-replication-status. */
  replication: ReplicationService
  stop(): void
}

export function createCosFeatures(store: ObjectStore, credentials: Credential[] | undefined): CosFeatures {
  const secrets = new Map((credentials ?? []).map((c) => [c.secretId, c.secretKey]))
  const configs = createBucketConfigStore(store)
  const restores = createRestoreService(store)
  const replication = createReplicationService(store, configs)
  restores.start()
  replication.start()
  return {
    secretFor: secrets.size > 0 ? (id) => secrets.get(id) : undefined,
    clock: store.clock,
    configs,
    restores,
    replication,
    stop() {
      restores.stop()
      replication.stop()
    }
  }
}
