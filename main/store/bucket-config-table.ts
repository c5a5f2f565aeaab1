/**
 * The bucket configuration table: one text document per bucket and name (sub-resources
 * such as ?origin, ?replication, ?cors, ?tagging), with the creation time of the bucket it
 * was written for.
 */
import { migrate, type Db } from './db.ts'

export interface BucketConfigRow {
  bucket: string
  bucketCreatedAt: number
  body: string
}

export interface BucketConfigTable {
  get(bucket: string, name: string): BucketConfigRow | undefined
  put(bucket: string, name: string, bucketCreatedAt: number, body: string): void
  delete(bucket: string, name: string): void
  /** Every row of this configuration name. */
  withName(name: string): BucketConfigRow[]
  /** Every configuration of a bucket, with its name (snapshots). */
  ofBucket(bucket: string): (BucketConfigRow & { name: string })[]
}

interface Row {
  bucket: string
  bucket_created_at: number
  body: string
}

const toRow = (row: Row): BucketConfigRow => ({
  bucket: row.bucket,
  bucketCreatedAt: row.bucket_created_at,
  body: row.body
})

export function createBucketConfigTable(db: Db): BucketConfigTable {
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
    withName: db.prepare('SELECT bucket, bucket_created_at, body FROM cos_bucket_configs WHERE name = ?'),
    ofBucket: db.prepare(
      'SELECT bucket, name, bucket_created_at, body FROM cos_bucket_configs WHERE bucket = ? ORDER BY name'
    )
  }
  return {
    get(bucket, name) {
      const row = s.get.get(bucket, name) as Row | undefined
      return row && toRow(row)
    },
    put(bucket, name, bucketCreatedAt, body) {
      s.put.run(bucket, name, bucketCreatedAt, body)
    },
    delete(bucket, name) {
      s.delete.run(bucket, name)
    },
    withName: (name) => (s.withName.all(name) as Row[]).map(toRow),
    ofBucket: (bucket) =>
      (s.ofBucket.all(bucket) as (Row & { name: string })[]).map((row) => ({ ...toRow(row), name: row.name }))
  }
}
