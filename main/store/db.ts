/**
 * The embedded SQL database (libsql, better-sqlite3-compatible API) that holds object
 * metadata and the event queue, so one transaction commits a change and its events.
 * Each module that owns tables registers its schema with `migrate`.
 */
import Database from 'libsql'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

export type Db = InstanceType<typeof Database>

export interface DbOptions {
  /** Synchronous commits (survive a machine crash, not only a process crash). */
  fsync?: boolean
}

export function openDatabase(dataDir: string, options: DbOptions = {}): Db {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, 'cos-local.db'))
  db.pragma('journal_mode = WAL')
  // WAL + NORMAL: a commit survives kill -9 of the process (the WAL is in the OS cache);
  // FULL also fsyncs the WAL on every commit so it survives a machine crash.
  db.pragma(`synchronous = ${options.fsync ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  return db
}

/** Apply a module's schema once (idempotent, versioned by name). */
export function migrate(db: Db, name: string, statements: string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
  const done = db.prepare('SELECT 1 FROM schema_migrations WHERE name = ?').get(name)
  if (done) return
  db.transaction(() => {
    for (const sql of statements) db.exec(sql)
    db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(name, Date.now())
  })()
}
