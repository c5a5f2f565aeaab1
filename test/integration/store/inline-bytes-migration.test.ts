/**
 * Data folders written before inline bodies moved into their version rows (migration
 * 'object-store-2-inline-bytes'): their objects open with the same bytes, and the old
 * table of inline bodies is gone.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../main/store/db.ts'
import { openTestStore } from '../../helpers/cos-server.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-inline-migration-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** The object tables as migrations 'object-store-1' and 'inline-blobs-1' made them. */
const OLD_SCHEMA = [
  `CREATE TABLE cos_buckets (name TEXT PRIMARY KEY, region TEXT NOT NULL, created_at INTEGER NOT NULL,
     versioning TEXT NOT NULL DEFAULT '')`,
  `CREATE TABLE cos_objects (id INTEGER PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, version_id TEXT NOT NULL,
     is_latest INTEGER NOT NULL, is_delete_marker INTEGER NOT NULL DEFAULT 0, blob TEXT, size INTEGER NOT NULL,
     etag TEXT NOT NULL, last_modified INTEGER NOT NULL, storage_class TEXT NOT NULL, headers TEXT NOT NULL)`,
  'CREATE INDEX cos_objects_history ON cos_objects (bucket, key, id)',
  `CREATE INDEX cos_objects_listing ON cos_objects (bucket, key, size, etag, last_modified, storage_class)
     WHERE is_latest = 1 AND is_delete_marker = 0`,
  `CREATE TABLE cos_uploads (upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL,
     initiated INTEGER NOT NULL, storage_class TEXT NOT NULL, headers TEXT NOT NULL)`,
  'CREATE INDEX cos_uploads_key ON cos_uploads (bucket, key, initiated)',
  `CREATE TABLE cos_parts (upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, blob TEXT NOT NULL,
     size INTEGER NOT NULL, etag TEXT NOT NULL, last_modified INTEGER NOT NULL, PRIMARY KEY (upload_id, part_number))
     WITHOUT ROWID`,
  'CREATE TABLE cos_inline_blobs (id TEXT PRIMARY KEY, bytes BLOB NOT NULL)',
  'CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  `INSERT INTO schema_migrations VALUES ('object-store-1', 0), ('inline-blobs-1', 0)`
]

const BUCKET = 'old-1250000000'
const ctx = { requestId: 'test', sourceIp: '127.0.0.1', authorization: '' }

describe('a data folder with inline bodies in their own table', () => {
  it('opens with every version readable and the old table dropped', async () => {
    const dataDir = join(root, 'old')
    const db = openDatabase(dataDir)
    for (const sql of OLD_SCHEMA) db.exec(sql)
    db.prepare(`INSERT INTO cos_buckets VALUES (?, 'ap-guangzhou', 0, 'Enabled')`).run(BUCKET)
    const version = db.prepare(
      `INSERT INTO cos_objects (bucket, key, version_id, is_latest, blob, size, etag, last_modified, storage_class, headers)
       VALUES (?, ?, ?, ?, ?, ?, 'e', 0, 'STANDARD', '{}')`
    )
    const body = (text: string): Buffer => Buffer.from(text)
    const rows: [string, string, number, string, Buffer][] = [
      ['a', 'v1', 0, 'i-a1', body('first of a')],
      ['a', 'v2', 1, 'i-a2', body('second of a')],
      ['b', 'v1', 1, 'i-b1', Buffer.alloc(4096, 7)]
    ]
    for (const [key, versionId, latest, blob, bytes] of rows) {
      version.run(BUCKET, key, versionId, latest, blob, bytes.length)
      db.prepare('INSERT INTO cos_inline_blobs (id, bytes) VALUES (?, ?)').run(blob, bytes)
    }
    db.close()

    const opened = openTestStore(dataDir)
    try {
      const { store } = opened
      for (const [key, versionId, latest, , bytes] of rows) {
        const read = await store.readObject(BUCKET, key, latest ? undefined : versionId)
        expect(read.bytes?.equals(bytes), `${key} ${versionId}`).toBe(true)
      }
      const tables = opened.db.prepare(`SELECT name FROM sqlite_master WHERE name = 'cos_inline_blobs'`).all()
      expect(tables).toEqual([])
      // and the store goes on writing and reading in the new layout
      await store.putObject(
        BUCKET,
        'c',
        (await import('node:stream')).Readable.from([body('new')]),
        {
          headers: {},
          storageClass: 'STANDARD'
        },
        ctx
      )
      expect((await store.readObject(BUCKET, 'c')).bytes?.toString()).toBe('new')
      store.deleteObject(BUCKET, 'a', 'v1', ctx)
      expect((await store.readObject(BUCKET, 'a')).bytes?.toString()).toBe('second of a')
    } finally {
      await opened.close()
    }
  })
})
