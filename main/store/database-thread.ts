/**
 * A worker thread with a libsql connection of its own to the data folder's database (the WAL
 * checkpointer, the writer thread). Its source is CommonJS evaluated from a string, so the
 * bundle needs no file for it; it gets libsql's path, the database file and the `synchronous`
 * setting the main connection has in `workerData`, beside what it needs of its own.
 */
import { createRequire } from 'node:module'
import { Worker, type ResourceLimits } from 'node:worker_threads'

export function startDatabaseThread(
  source: string,
  file: string,
  fsync: boolean,
  data: Record<string, unknown>,
  resourceLimits: ResourceLimits
): Worker {
  return new Worker(source, {
    eval: true,
    workerData: { libsql: libsqlPath(), file, synchronous: fsync ? 'FULL' : 'NORMAL', ...data },
    resourceLimits
  })
}

/** libsql's entry, from the unpacked copy in the packaged app (a thread cannot load from the asar). */
function libsqlPath(): string {
  const resolved = createRequire(import.meta.url).resolve('libsql')
  return resolved.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
}
