/**
 * Composite blobs: an object completed from multipart parts keeps the parts' blob files as
 * its extents instead of copying them into one new file. A composite blob id starts with `m`
 * (file blob ids are 32 hex digits, inline ones start with `i`); its extents — each a blob
 * file, with the offset of its first byte in the object — are rows of `cos_extents`,
 * inserted in the transaction that commits the version referencing the composite and
 * deleted in the transaction that drops that reference (the files then go the way of any
 * freed blob file: removed after the commit, or by the orphan sweep after a crash).
 */
import { randomUUID } from 'node:crypto'
import { migrate, type Db } from './db.ts'

/** One extent of a composite blob: `size` bytes of blob file `blobId`, at `offset` in the object. */
export interface Extent {
  blobId: string
  offset: number
  size: number
}

export interface Extents {
  /** Record the extents of a new composite; call inside the transaction that references it. */
  insert(id: string, extents: readonly Extent[]): void
  /** Every extent, in order ([] when the composite is gone). */
  all(id: string): Extent[]
  /** The extents holding bytes start..end (inclusive), in order. */
  covering(id: string, start: number, end: number): Extent[]
  /** Delete the composite's rows; returns its blob files. Call in the dropping transaction. */
  remove(id: string): string[]
}

export function isCompositeBlobId(id: string): boolean {
  return id.charCodeAt(0) === 109 /* 'm' */
}

export function newCompositeBlobId(): string {
  return `m${randomUUID().replaceAll('-', '')}`
}

/** Extents laid end to end from offset 0 (empty parts hold no bytes and get none). */
export function layExtents(parts: readonly { blobId: string; size: number }[]): Extent[] {
  let offset = 0
  const extents: Extent[] = []
  for (const part of parts) {
    if (part.size === 0) continue
    extents.push({ blobId: part.blobId, offset, size: part.size })
    offset += part.size
  }
  return extents
}

export function createExtents(db: Db): Extents {
  migrate(db, 'extents-1', [
    `CREATE TABLE cos_extents (
       composite TEXT NOT NULL,
       offset INTEGER NOT NULL,
       blob TEXT NOT NULL,
       size INTEGER NOT NULL,
       PRIMARY KEY (composite, offset)
     ) WITHOUT ROWID`
  ])
  const insert = db.prepare('INSERT INTO cos_extents (composite, offset, blob, size) VALUES (?, ?, ?, ?)')
  const all = db.prepare('SELECT offset, blob, size FROM cos_extents WHERE composite = ? ORDER BY offset')
  const covering = db.prepare(
    `SELECT offset, blob, size FROM cos_extents
      WHERE composite = ?1 AND offset <= ?3 AND offset >= coalesce(
        (SELECT max(offset) FROM cos_extents WHERE composite = ?1 AND offset <= ?2), 0)
      ORDER BY offset`
  )
  const remove = db.prepare('DELETE FROM cos_extents WHERE composite = ? RETURNING blob')
  const toExtent = (row: { offset: number; blob: string; size: number }): Extent => ({
    blobId: row.blob,
    offset: row.offset,
    size: row.size
  })
  return {
    insert(id, extents) {
      for (const extent of extents) insert.run(id, extent.offset, extent.blobId, extent.size)
    },
    all: (id) => (all.all(id) as { offset: number; blob: string; size: number }[]).map(toExtent),
    covering: (id, start, end) =>
      (covering.all(id, start, end) as { offset: number; blob: string; size: number }[])
        .map(toExtent)
        .filter((extent) => extent.offset + extent.size > start),
    remove: (id) => (remove.all(id) as { blob: string }[]).map((row) => row.blob)
  }
}
