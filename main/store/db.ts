/**
 * The embedded SQL database (libsql, better-sqlite3-compatible API) that holds object
 * metadata and the event queue, so one transaction commits a change and its events.
 * Each module that owns tables registers its schema with `migrate`.
 */
import { DataFolderError, databaseErrorProblem, databaseFileProblem } from './damaged-data.ts'
import { join } from 'node:path'
import { ensureDataDir } from './private-files.ts'
import { RecordingDatabase } from './write-recorder.ts'

/** The connection: libsql's, with statements whose writes a group commit can record (write-recorder.ts). */
export type Db = RecordingDatabase

export interface DbOptions {
  /** Synchronous commits (survive a machine crash, not only a process crash). */
  fsync?: boolean
}

/** The database file of a data folder. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'cos-local.db')
}

export function openDatabase(dataDir: string, options: DbOptions = {}): Db {
  ensureDataDir(dataDir)
  const file = databaseFile(dataDir)
  const aside = [file, `${file}-wal`, `${file}-shm`]
  const problem = databaseFileProblem(file)
  if (problem) throw new DataFolderError(file, problem, aside)
  let db: Db | undefined
  try {
    db = new RecordingDatabase(file)
    db.pragma('journal_mode = WAL')
    // WAL + NORMAL: a commit survives kill -9 of the process (the WAL is in the OS cache);
    // FULL also fsyncs the WAL on every commit so it survives a machine crash.
    db.pragma(`synchronous = ${options.fsync ? 'FULL' : 'NORMAL'}`)
    db.pragma('busy_timeout = 5000')
    // A page cache of up to 32 MiB (SQLite's default is 2 MiB): GETs of small objects and the
    // indexes a PUT touches stay in memory instead of costing a read of the file each.
    db.pragma('cache_size = -32768')
    db.pragma('foreign_keys = ON')
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    return db
  } catch (error) {
    const damage = databaseErrorProblem(error)
    if (!damage) throw error
    db?.close()
    throw new DataFolderError(file, damage, aside)
  }
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
