/**
 * Prepared statements over the object-store tables and the mapping of their rows to plain
 * objects (libsql rows carry extra properties; never pass a row on as it is).
 */
import { compareKeys } from '../core/cos/key-order.ts'
import type { StorageClass } from '../core/cos/storage-class.ts'
import type { Db } from './db.ts'
import { LatestReadCache } from './latest-read-cache.ts'
import { migrateObjectStore } from './object-schema.ts'
import type {
  BucketInfo,
  MultipartUpload,
  ObjectSummary,
  ObjectVersion,
  UploadedPart,
  VersioningStatus
} from './object-types.ts'

/** Every column of a version row but its inline bytes (the GET of an inline object reads those too). */
const VERSION_COLUMNS =
  'id, bucket, key, version_id, is_latest, is_delete_marker, blob, size, etag, last_modified, storage_class, headers'

interface VersionRow {
  id: number
  bucket: string
  key: string
  version_id: string
  is_latest: number
  is_delete_marker: number
  blob: string | null
  size: number
  etag: string
  last_modified: number
  storage_class: string
  headers: string
}

export interface StoredVersion extends ObjectVersion {
  rowId: number
}

export interface StoredPart extends UploadedPart {
  blobId: string
}

export type ObjectMetadata = ReturnType<typeof createObjectMetadata>

export function createObjectMetadata(db: Db) {
  migrateObjectStore(db)
  const { recorder } = db
  /**
   * Buckets by name, read on every request: a cache of committed rows, cleared by every bucket
   * change and filled only outside transactions (so it never holds a change that may roll back).
   */
  const buckets = new Map<string, BucketInfo>()
  /**
   * GET's latest versions with inline bytes (latest-read-cache.ts): every statement below that
   * changes version rows forgets their key, bucket changes forget everything.
   */
  const latestCache = new LatestReadCache()
  const s = {
    insertBucket: db.prepare('INSERT INTO cos_buckets (name, region, created_at, versioning) VALUES (?, ?, ?, ?)'),
    getBucket: db.prepare('SELECT name, region, created_at, versioning FROM cos_buckets WHERE name = ?'),
    listBuckets: db.prepare('SELECT name, region, created_at, versioning FROM cos_buckets ORDER BY name'),
    deleteBucket: db.prepare('DELETE FROM cos_buckets WHERE name = ?'),
    setVersioning: db.prepare('UPDATE cos_buckets SET versioning = ? WHERE name = ?'),
    anyObject: db.prepare('SELECT 1 AS one FROM cos_objects WHERE bucket = ? LIMIT 1'),
    anyUpload: db.prepare('SELECT 1 AS one FROM cos_uploads WHERE bucket = ? LIMIT 1'),

    latest: db.prepare(`SELECT ${VERSION_COLUMNS} FROM cos_objects WHERE bucket = ? AND key = ? AND is_latest = 1`),
    // GET's one lookup: the latest version and, for an inline blob, its bytes (inline-blobs.ts)
    latestWithBytes: db.prepare(
      `SELECT ${VERSION_COLUMNS}, inline_bytes FROM cos_objects WHERE bucket = ? AND key = ? AND is_latest = 1`
    ),
    inlineBytes: db.prepare('SELECT inline_bytes FROM cos_objects WHERE id = ?').raw(true),
    version: db.prepare(`SELECT ${VERSION_COLUMNS} FROM cos_objects WHERE bucket = ? AND key = ? AND version_id = ?`),
    newest: db.prepare('SELECT id FROM cos_objects WHERE bucket = ? AND key = ? ORDER BY id DESC LIMIT 1'),
    insertVersion: db.prepare(
      `INSERT INTO cos_objects (bucket, key, version_id, is_latest, is_delete_marker, blob, size, etag,
         last_modified, storage_class, headers, inline_bytes) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`
    ),
    clearLatest: db.prepare('UPDATE cos_objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1'),
    setLatest: db.prepare('UPDATE cos_objects SET is_latest = 1 WHERE id = ?'),
    deleteRow: db.prepare('DELETE FROM cos_objects WHERE id = ? RETURNING bucket, key'),
    // a PUT of a new key looks for its 'null' version: a read that finds nothing costs less
    // than a DELETE … RETURNING that deletes nothing
    findNull: db
      .prepare("SELECT id, blob FROM cos_objects WHERE bucket = ? AND key = ? AND version_id = 'null'")
      .raw(true),
    deleteId: db.prepare('DELETE FROM cos_objects WHERE id = ?'),
    /**
     * Latest live versions in a key range ([>= or >][, < end]), by the covering listing index,
     * as one JSON array of [key, size, etag, last_modified, storage_class] rows: a thousand rows
     * cross from SQLite to JavaScript as one string (a third of the CPU of a thousand row objects).
     */
    list: rangeStatements(
      db,
      (range) => `SELECT json_group_array(json_array(key, size, etag, last_modified, storage_class))
        FROM (SELECT key, size, etag, last_modified, storage_class FROM cos_objects
               WHERE bucket = ? AND ${range} AND is_latest = 1 AND is_delete_marker = 0 ORDER BY key LIMIT ?)`,
      true
    ),
    /** Every version and delete marker in a key range, keys in order, newest first within a key. */
    entries: rangeStatements(
      db,
      (range) =>
        `SELECT ${VERSION_COLUMNS} FROM cos_objects WHERE bucket = ? AND ${range} ORDER BY key, id DESC LIMIT ?`
    ),
    versionsOf: db.prepare(`SELECT ${VERSION_COLUMNS} FROM cos_objects WHERE bucket = ? AND key = ? ORDER BY id DESC`),

    insertUpload: db.prepare(
      'INSERT INTO cos_uploads (upload_id, bucket, key, initiated, storage_class, headers) VALUES (?, ?, ?, ?, ?, ?)'
    ),
    getUpload: db.prepare('SELECT * FROM cos_uploads WHERE upload_id = ?'),
    deleteUpload: db.prepare('DELETE FROM cos_uploads WHERE upload_id = ?'),
    listUploads: db.prepare(
      'SELECT * FROM cos_uploads WHERE bucket = ? AND key >= ? ORDER BY key, initiated, upload_id LIMIT ?'
    ),
    getPart: db.prepare('SELECT * FROM cos_parts WHERE upload_id = ? AND part_number = ?'),
    upsertPart: db.prepare(
      `INSERT INTO cos_parts (upload_id, part_number, blob, size, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET blob = excluded.blob, size = excluded.size,
         etag = excluded.etag, last_modified = excluded.last_modified`
    ),
    listParts: db.prepare(
      'SELECT * FROM cos_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'
    ),
    allParts: db.prepare('SELECT * FROM cos_parts WHERE upload_id = ? ORDER BY part_number'),
    deleteParts: db.prepare('DELETE FROM cos_parts WHERE upload_id = ?')
  }

  return {
    db,
    insertBucket(bucket: BucketInfo): void {
      buckets.clear()
      latestCache.clear()
      s.insertBucket.run(bucket.name, bucket.region, bucket.createdAt, bucket.versioning)
    },
    getBucket(name: string): BucketInfo | undefined {
      const cached = buckets.get(name)
      if (cached) return { ...cached }
      const row = s.getBucket.get(name) as BucketRow | undefined
      if (!row) return undefined
      const bucket = toBucket(row)
      if (!db.inTransaction) buckets.set(name, { ...bucket })
      return bucket
    },
    listBuckets(): BucketInfo[] {
      return (s.listBuckets.all() as BucketRow[]).map(toBucket)
    },
    deleteBucket(name: string): void {
      buckets.clear()
      latestCache.clear()
      s.deleteBucket.run(name)
    },
    setVersioning(name: string, status: VersioningStatus): void {
      buckets.clear()
      latestCache.clear()
      s.setVersioning.run(status, name)
    },
    bucketHasObjects(name: string): boolean {
      return s.anyObject.get(name) !== undefined
    },
    bucketHasUploads(name: string): boolean {
      return s.anyUpload.get(name) !== undefined
    },

    latest(bucket: string, key: string): StoredVersion | undefined {
      const row = s.latest.get(bucket, key) as VersionRow | undefined
      return row && toVersion(row)
    },
    /**
     * The latest version with the bytes of its inline blob, if it has one (else `bytes` is
     * undefined). Versions with inline bytes come from the read cache when there: frozen, shared.
     */
    latestWithBytes(bucket: string, key: string): { version: StoredVersion; bytes: Buffer | undefined } | undefined {
      const cached = latestCache.get(bucket, key)
      if (cached) return cached
      const row = s.latestWithBytes.get(bucket, key) as (VersionRow & { inline_bytes: Buffer | null }) | undefined
      if (!row) return undefined
      const version = toVersion(row)
      const bytes = row.inline_bytes ?? undefined
      // only rows no write is about to change: a transaction's change may still roll back, and
      // the writer thread's group in flight may replace this very version (write-recorder.ts)
      if (bytes !== undefined && !db.inTransaction && !recorder.inFlight) return latestCache.set(version, bytes)
      return { version, bytes }
    },
    version(bucket: string, key: string, versionId: string): StoredVersion | undefined {
      const row = s.version.get(bucket, key, versionId) as VersionRow | undefined
      return row && toVersion(row)
    },
    /** The bytes of a version's inline blob (undefined when the row is gone). */
    inlineBytes(rowId: number): Buffer | undefined {
      const row = s.inlineBytes.get(rowId) as [Buffer | null] | undefined
      return row?.[0] ?? undefined
    },
    /**
     * Insert a version as the key's latest (the caller has cleared the previous latest), with
     * the bytes of its inline blob when it has one.
     */
    insertVersion(v: Omit<ObjectVersion, 'isLatest'>, inlineBytes?: Uint8Array): void {
      latestCache.forget(v.bucket, v.key)
      // one array argument: libsql binds it as is (an argument list is copied by `flat()` first)
      s.insertVersion.run([
        v.bucket,
        v.key,
        v.versionId,
        v.isDeleteMarker ? 1 : 0,
        v.blobId,
        v.size,
        v.etag,
        v.lastModified,
        v.storageClass,
        JSON.stringify(v.headers),
        inlineBytes ?? null
      ])
    },
    clearLatest(bucket: string, key: string): void {
      latestCache.forget(bucket, key)
      s.clearLatest.run(bucket, key)
    },
    deleteRow(rowId: number): void {
      const row = s.deleteRow.get(rowId) as { bucket: string; key: string } | undefined
      if (row) latestCache.forget(row.bucket, row.key)
    },
    /** Delete a key's 'null' version, if any; returns its blob id (null for a delete marker). */
    deleteNullVersion(bucket: string, key: string): { blobId: string | null } | undefined {
      latestCache.forget(bucket, key)
      // recorded for the writer thread, the lookup below would not see this group's own writes
      if (recorder.recording) recorder.claim(`${bucket}/${key}`)
      const row = s.findNull.get([bucket, key]) as [number, string | null] | undefined
      if (!row) return undefined
      s.deleteId.run(row[0])
      return { blobId: row[1] }
    },
    /** After removing the latest version, promote the newest remaining one. */
    promoteNewest(bucket: string, key: string): void {
      latestCache.forget(bucket, key)
      const row = s.newest.get(bucket, key) as { id: number } | undefined
      if (row) s.setLatest.run(row.id)
    },
    listLatest(bucket: string, from: string, inclusive: boolean, limit: number, end?: string): ObjectSummary[] {
      const [[json]] = runRange(s.list, bucket, from, inclusive, limit, end) as [[string]]
      const rows = JSON.parse(json) as SummaryRow[]
      // The aggregate takes the ordered subquery's rows as they come; should a future SQLite
      // feed it differently, order them here (a pass over the page when they are in order).
      for (let i = 1; i < rows.length; i++) {
        if (compareKeys(rows[i - 1]![0], rows[i]![0]) > 0) {
          rows.sort((a, b) => compareKeys(a[0], b[0]))
          break
        }
      }
      return rows.map(([key, size, etag, lastModified, storageClass]) => ({
        key,
        size,
        etag,
        lastModified,
        storageClass
      }))
    },

    /** Versions and delete markers of keys in a range, keys in order, each key's newest first. */
    versionsFrom(bucket: string, from: string, inclusive: boolean, limit: number, end?: string): StoredVersion[] {
      return (runRange(s.entries, bucket, from, inclusive, limit, end) as VersionRow[]).map(toVersion)
    },
    /** A key's versions and delete markers, newest first. */
    versionsOf(bucket: string, key: string): StoredVersion[] {
      return (s.versionsOf.all(bucket, key) as VersionRow[]).map(toVersion)
    },

    insertUpload(u: MultipartUpload): void {
      s.insertUpload.run(u.uploadId, u.bucket, u.key, u.initiated, u.storageClass, JSON.stringify(u.headers))
    },
    getUpload(uploadId: string): MultipartUpload | undefined {
      const row = s.getUpload.get(uploadId) as UploadRow | undefined
      return row && toUpload(row)
    },
    deleteUpload(uploadId: string): void {
      s.deleteParts.run(uploadId)
      s.deleteUpload.run(uploadId)
    },
    listUploads(bucket: string, fromKey: string, limit: number): MultipartUpload[] {
      return (s.listUploads.all(bucket, fromKey, limit) as UploadRow[]).map(toUpload)
    },
    getPart(uploadId: string, partNumber: number): StoredPart | undefined {
      const row = s.getPart.get(uploadId, partNumber) as PartRow | undefined
      return row && toPart(row)
    },
    upsertPart(uploadId: string, part: StoredPart): void {
      s.upsertPart.run(uploadId, part.partNumber, part.blobId, part.size, part.etag, part.lastModified)
    },
    listParts(uploadId: string, afterPart: number, limit: number): StoredPart[] {
      return (s.listParts.all(uploadId, afterPart, limit) as PartRow[]).map(toPart)
    },
    allParts(uploadId: string): StoredPart[] {
      return (s.allParts.all(uploadId) as PartRow[]).map(toPart)
    }
  }
}

type Statement = ReturnType<Db['prepare']>

interface RangeStatements {
  from: Statement
  after: Statement
  fromBefore: Statement
  afterBefore: Statement
}

/** One statement per kind of key range (from inclusive or not, with an end or not); `raw`: rows as arrays. */
function rangeStatements(db: Db, sql: (range: string) => string, raw = false): RangeStatements {
  const prepare = (range: string): Statement => (raw ? db.prepare(sql(range)).raw(true) : db.prepare(sql(range)))
  return {
    from: prepare('key >= ?'),
    after: prepare('key > ?'),
    fromBefore: prepare('key >= ? AND key < ?'),
    afterBefore: prepare('key > ? AND key < ?')
  }
}

function runRange(
  s: RangeStatements,
  bucket: string,
  from: string,
  inclusive: boolean,
  limit: number,
  end: string | undefined
): unknown[] {
  if (end === undefined) return (inclusive ? s.from : s.after).all(bucket, from, limit)
  return (inclusive ? s.fromBefore : s.afterBefore).all(bucket, from, end, limit)
}

interface BucketRow {
  name: string
  region: string
  created_at: number
  versioning: string
}

/** key, size, etag, last_modified, storage_class */
type SummaryRow = [string, number, string, number, string]

interface UploadRow {
  upload_id: string
  bucket: string
  key: string
  initiated: number
  storage_class: string
  headers: string
}

interface PartRow {
  upload_id: string
  part_number: number
  blob: string
  size: number
  etag: string
  last_modified: number
}

function toBucket(row: BucketRow): BucketInfo {
  return {
    name: row.name,
    region: row.region,
    createdAt: row.created_at,
    versioning: row.versioning as VersioningStatus
  }
}

function toVersion(row: VersionRow): StoredVersion {
  return {
    rowId: row.id,
    bucket: row.bucket,
    key: row.key,
    versionId: row.version_id,
    isLatest: row.is_latest === 1,
    isDeleteMarker: row.is_delete_marker === 1,
    blobId: row.blob,
    size: row.size,
    etag: row.etag,
    lastModified: row.last_modified,
    storageClass: row.storage_class as StorageClass,
    headers: JSON.parse(row.headers) as Record<string, string>
  }
}

function toUpload(row: UploadRow): MultipartUpload {
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiated: row.initiated,
    storageClass: row.storage_class as StorageClass,
    headers: JSON.parse(row.headers) as Record<string, string>
  }
}

function toPart(row: PartRow): StoredPart {
  return {
    partNumber: row.part_number,
    blobId: row.blob,
    size: row.size,
    etag: row.etag,
    lastModified: row.last_modified
  }
}
