/**
 * What handlers need beyond the object operations: the credentials (for signatures carried
 * in a POST form), the clock, and the storage features beside the objects (bucket
 * configurations, archive restores, replication; their timers run inside storage).
 */
import type { Clock } from '../core/clock.ts'
import type { SecretLookup } from '../core/cos/signature-check.ts'
import type { BucketConfigs, StorageService } from '../storage/create-storage.ts'
import type { Credential } from './auth.ts'

export interface CosFeatures {
  /** The secret of an access key id; undefined in open mode (no credentials configured). */
  secretFor: SecretLookup | undefined
  clock: Clock
  /** Bucket sub-resource documents (origin, replication, cors, tagging, …). */
  configs: BucketConfigs
  /** Archive restores: jobs on the clock, read checks, x-cos-restore headers. */
  restores: StorageService['restores']
  /** Cross-bucket replication: rules, tasks on the clock, x-cos-replication-status. */
  replication: StorageService['replication']
}

export function createCosFeatures(
  storage: StorageService,
  clock: Clock,
  credentials: Credential[] | undefined
): CosFeatures {
  const secrets = new Map((credentials ?? []).map((c) => [c.secretId, c.secretKey]))
  return {
    secretFor: secrets.size > 0 ? (id) => secrets.get(id) : undefined,
    clock,
    configs: storage.configs,
    restores: storage.restores,
    replication: storage.replication
  }
}
