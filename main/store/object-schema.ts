/**
 * Tables of the object store, in the shared database.
 *
 * `cos_objects` holds every object version (versioning-ready from the start): an
 * unversioned bucket keeps one row per key with version_id 'null'. The row id grows with
 * each write, so a key's newest version has the highest id. The partial covering index
 * `cos_objects_listing` holds only the latest live versions, so a listing page is an
 * index range scan that never touches the table, and skipping a common prefix is a seek.
 * An inline body (inline-blobs.ts) is the row's last column, `inline_bytes`: reading the
 * columns before it never reads the body's pages.
 */
import { migrate, type Db } from './db.ts'

export function migrateObjectStore(db: Db): void {
  migrate(db, 'object-store-1', [
    `CREATE TABLE cos_buckets (
       name TEXT PRIMARY KEY,
       region TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       versioning TEXT NOT NULL DEFAULT ''
     )`,
    `CREATE TABLE cos_objects (
       id INTEGER PRIMARY KEY,
       bucket TEXT NOT NULL,
       key TEXT NOT NULL,
       version_id TEXT NOT NULL,
       is_latest INTEGER NOT NULL,
       is_delete_marker INTEGER NOT NULL DEFAULT 0,
       blob TEXT,
       size INTEGER NOT NULL,
       etag TEXT NOT NULL,
       last_modified INTEGER NOT NULL,
       storage_class TEXT NOT NULL,
       headers TEXT NOT NULL
     )`,
    'CREATE INDEX cos_objects_history ON cos_objects (bucket, key, id)',
    `CREATE INDEX cos_objects_listing ON cos_objects (bucket, key, size, etag, last_modified, storage_class)
       WHERE is_latest = 1 AND is_delete_marker = 0`,
    `CREATE TABLE cos_uploads (
       upload_id TEXT PRIMARY KEY,
       bucket TEXT NOT NULL,
       key TEXT NOT NULL,
       initiated INTEGER NOT NULL,
       storage_class TEXT NOT NULL,
       headers TEXT NOT NULL
     )`,
    'CREATE INDEX cos_uploads_key ON cos_uploads (bucket, key, initiated)',
    `CREATE TABLE cos_parts (
       upload_id TEXT NOT NULL,
       part_number INTEGER NOT NULL,
       blob TEXT NOT NULL,
       size INTEGER NOT NULL,
       etag TEXT NOT NULL,
       last_modified INTEGER NOT NULL,
       PRIMARY KEY (upload_id, part_number)
     ) WITHOUT ROWID`
  ])
  // Inline bodies had a table of their own, keyed by blob id (one more row and index entry
  // per PUT); data folders of that time get the bytes moved into their version rows.
  migrate(db, 'inline-blobs-1', ['CREATE TABLE cos_inline_blobs (id TEXT PRIMARY KEY, bytes BLOB NOT NULL)'])
  migrate(db, 'object-store-2-inline-bytes', [
    'ALTER TABLE cos_objects ADD COLUMN inline_bytes BLOB',
    `UPDATE cos_objects SET inline_bytes = (SELECT bytes FROM cos_inline_blobs WHERE id = cos_objects.blob)
       WHERE substr(blob, 1, 1) = 'i'`,
    'DROP TABLE cos_inline_blobs'
  ])
}
