/**
 * Bucket configurations (sub-resources such as ?origin, ?replication, ?cors, ?tagging):
 * one text document per bucket and name. A row remembers the creation time of its bucket,
 * so a bucket deleted and created again starts without the old configurations.
 */
import type { BucketConfigTable } from '../store/bucket-config-table.ts'
import type { BucketInfo } from '../store/object-types.ts'

export interface BucketConfigs {
  /** The stored document, or undefined when unset. NoSuchBucket when the bucket is missing. */
  get(bucket: string, name: string): string | undefined
  put(bucket: string, name: string, body: string): void
  /** Remove a configuration; false when it was not set. */
  delete(bucket: string, name: string): boolean
  /** Every bucket that has this configuration (for services that act on all of them). */
  bucketsWith(name: string): string[]
  /** Every configuration of a bucket by name (snapshots). */
  all(bucket: string): Record<string, string>
}

export function createBucketConfigs(
  table: BucketConfigTable,
  buckets: { getBucket(name: string): BucketInfo }
): BucketConfigs {
  /** The bucket's creation time (NoSuchBucket when it does not exist). */
  const createdAt = (bucket: string) => buckets.getBucket(bucket).createdAt

  function get(bucket: string, name: string): string | undefined {
    const since = createdAt(bucket)
    const row = table.get(bucket, name)
    return row && row.bucketCreatedAt === since ? row.body : undefined
  }

  return {
    get,
    put(bucket, name, body) {
      table.put(bucket, name, createdAt(bucket), body)
    },
    delete(bucket, name) {
      const had = get(bucket, name) !== undefined
      table.delete(bucket, name)
      return had
    },
    all(bucket) {
      const since = createdAt(bucket)
      const rows = table.ofBucket(bucket).filter((row) => row.bucketCreatedAt === since)
      return Object.fromEntries(rows.map((row) => [row.name, row.body]))
    },
    bucketsWith(name) {
      return table
        .withName(name)
        .filter((row) => {
          try {
            return createdAt(row.bucket) === row.bucketCreatedAt
          } catch {
            return false
          }
        })
        .map((row) => row.bucket)
    }
  }
}
