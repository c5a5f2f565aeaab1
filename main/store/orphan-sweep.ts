/**
 * Blobs renamed into place whose metadata commit never happened (a crash between the two)
 * or whose removal after a commit was cut short are invisible but take space. At start,
 * in the background, remove blob files older than the start that no row references.
 */
import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { BlobStore } from './blob-store.ts'
import type { Db } from './db.ts'

/** Blobs this young may belong to a write of this process (file times are coarse). */
const SAFETY_MS = 5000

export async function sweepOrphanBlobs(db: Db, blobs: BlobStore, startedAt: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  const referenced = new Set<string>()
  for (const row of db.prepare('SELECT blob FROM cos_objects WHERE blob IS NOT NULL').iterate()) {
    referenced.add((row as { blob: string }).blob)
  }
  for (const row of db.prepare('SELECT blob FROM cos_parts').iterate()) {
    referenced.add((row as { blob: string }).blob)
  }
  let dirs: string[]
  try {
    dirs = await readdir(blobs.blobDir)
  } catch {
    return
  }
  for (const dir of dirs) {
    let names: string[]
    try {
      names = await readdir(join(blobs.blobDir, dir))
    } catch {
      continue
    }
    for (const name of names) {
      if (referenced.has(name)) continue
      const file = join(blobs.blobDir, dir, name)
      try {
        if ((await stat(file)).mtimeMs < startedAt - SAFETY_MS) await unlink(file)
      } catch {
        // gone already
      }
    }
  }
}
