/**
 * Bucket configurations (sub-resources such as ?origin, ?replication, ?cors, ?tagging):
 * one text document per bucket and name. A row remembers the creation time of its bucket,
 * so a bucket deleted and created again starts without the old configurations.
 */
import { migrate } from '../store/db.ts'
import type { ObjectStore } from './object-store.ts'

export interface BucketConfigStore {
  /** The stored document, or undefined when unset. NoSuchBucket when the bucket is missing. */
  get(bucket: string, name: string): string | undefined
  put(bucket: string, name: string, body: string): void
  /** Remove a configuration; false when it was not set. */
  delete(bucket: string, name: string): boolean
  /** Every bucket that has this configuration (for services that act on all of them). */
  bucketsWith(name: string): string[]
}

interface Row {
  bucket: string
  bucket_created_at: number
  body: string
}

export function createBucketConfigStore(store: ObjectStore): BucketConfigStore {
  const { db } = store
  migrate(db, 'cos-bucket-configs-1', [
    `CREATE TABLE cos_bucket_configs (
       bucket TEXT NOT NULL,
       name TEXT NOT NULL,
       bucket_created_at INTEGER NOT NULL,
       body TEXT NOT NULL,
       PRIMARY KEY (bucket, name)
     ) WITHOUT ROWID`
  ])
  const s = {
    get: db.prepare('SELECT bucket, bucket_created_at, body FROM cos_bucket_configs WHERE bucket = ? AND name = ?'),
    put: db.prepare(
      'INSERT OR REPLACE INTO cos_bucket_configs (bucket, name, bucket_created_at, body) VALUES (?, ?, ?, ?)'
    ),
    delete: db.prepare('DELETE FROM cos_bucket_configs WHERE bucket = ? AND name = ?'),
    withName: db.prepare('SELECT bucket, bucket_created_at, body FROM cos_bucket_configs WHERE name = ?')
  }

  /** The bucket's creation time (NoSuchBucket when it does not exist). */
  const createdAt = (bucket: string) => store.getBucket(bucket).createdAt

  return {
    get(bucket, name) {
      const since = createdAt(bucket)
      const row = s.get.get(bucket, name) as Row | undefined
      return row && row.bucket_created_at === since ? row.body : undefined
    },
    put(bucket, name, body) {
      s.put.run(bucket, name, createdAt(bucket), body)
    },
    delete(bucket, name) {
      const had = this.get(bucket, name) !== undefined
      s.delete.run(bucket, name)
      return had
    },
    bucketsWith(name) {
      const rows = s.withName.all(name) as Row[]
      return rows
        .filter((row) => {
          try {
            return store.getBucket(row.bucket).createdAt === row.bucket_created_at
          } catch {
            return false
          }
        })
        .map((row) => row.bucket)
    }
  }
}
