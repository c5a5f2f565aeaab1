/**
 * Blobs renamed into place whose metadata commit never happened (a crash between the two)
 * or whose removal after a commit was cut short are invisible but take space. A while
 * after start, in the background and in small steps, remove blob files older than the
 * start that no row references (an object version, an upload's part, a composite's extent)
 * and no reader holds. This is also what makes the reclaim of parts crash-safe: a part's
 * file is referenced by its part row until the commit that replaces, aborts or completes
 * it, and by an extent row after a Complete that keeps it. It never delays start-up or a
 * request for long, and stops quietly when the store closes.
 */
import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { BlobStore } from './blob-store.ts'
import type { Db } from './db.ts'

/** Blobs this young may belong to a write of this process (file times are coarse). */
const SAFETY_MS = 5000
/** Object rows read per step: a step holds the event loop for about a millisecond. */
const PAGE = 1000

export interface OrphanSweep {
  /** Settles when the sweep has finished or stopped (never rejects). */
  done: Promise<void>
  /** Stop at the next step (or before starting). */
  stop(): void
}

/**
 * Work in proportion to the blob files, not to the objects: the files are listed first, and
 * rows are read only while some file is not yet known to be referenced (a store of small,
 * inline objects has no files, so no row is read at all).
 */
export function startOrphanSweep(db: Db, blobs: BlobStore, startedAt: number, delayMs = 2000): OrphanSweep {
  let stopped = false
  let wake: () => void = () => undefined
  const delay = new Promise<void>((resolve) => {
    wake = resolve
    setTimeout(resolve, delayMs).unref()
  })
  const ended = (): boolean => stopped || !db.open
  const run = async (): Promise<void> => {
    await delay
    // file name → its directory, for every blob file no reader holds
    const candidates = new Map<string, string>()
    for (const dir of await readdir(blobs.blobDir).catch(() => [] as string[])) {
      if (stopped) return
      for (const name of await readdir(join(blobs.blobDir, dir)).catch(() => [] as string[])) {
        if (!blobs.isPinned(name)) candidates.set(name, dir)
      }
    }
    if (candidates.size === 0 || ended()) return
    // A part's file moves from its part row to an extent row at Complete, never back: read parts first.
    for (const row of db.prepare('SELECT blob FROM cos_parts').iterate() as Iterable<{ blob: string }>) {
      candidates.delete(row.blob)
    }
    for (const row of db.prepare('SELECT blob FROM cos_extents').iterate() as Iterable<{ blob: string }>) {
      candidates.delete(row.blob)
    }
    const page = db.prepare(
      // only blob files: inline and composite ids (`i…`, `m…`) name rows, not files; rows are
      // read by id range so a million inline objects cost SQLite a scan, not a million JS rows
      `SELECT max(id) AS last, json_group_array(blob) FILTER (WHERE blob IS NOT NULL AND substr(blob, 1, 1) NOT IN ('i', 'm')) AS blobs
         FROM (SELECT id, blob FROM cos_objects WHERE id > ? ORDER BY id LIMIT ${PAGE})`
    )
    for (let after = 0; candidates.size > 0;) {
      if (ended()) return
      const row = page.get(after) as { last: number | null; blobs: string }
      if (row.last === null) break
      for (const blob of JSON.parse(row.blobs) as string[]) candidates.delete(blob)
      after = row.last
      await new Promise((resolve) => setImmediate(resolve))
    }
    for (const [name, dir] of candidates) {
      if (stopped) return
      if (blobs.isPinned(name)) continue
      const file = join(blobs.blobDir, dir, name)
      const info = await stat(file).catch(() => undefined)
      if (info && info.mtimeMs < startedAt - SAFETY_MS) await unlink(file).catch(() => undefined)
    }
  }
  return {
    done: run().catch(() => undefined),
    stop() {
      stopped = true
      wake()
    }
  }
}
