/**
 * Small object bodies kept in the database instead of a blob file: in the `inline_bytes`
 * column of the version row that references them (object-schema.ts). Creating a file costs
 * far more on a disk than the bytes, so a body of at most INLINE_MAX_BYTES is written with
 * its version row and its event in one durable commit instead of file create + rename +
 * commit, and leaves with the row. Until migration 'object-store-2-inline-bytes' the bytes
 * had a table of their own, keyed by blob id: one more row and index entry per PUT.
 *
 * Inline blob ids start with `i` (file blob ids are 32 hex digits), so every user of a
 * blob id can tell where the bytes are without a lookup.
 */
import { randomBytes } from 'node:crypto'
import { formatOnChange } from '../core/format-on-change.ts'

/**
 * Bodies up to this size are stored inline. Measured here (PUT c=16, bundled server, this
 * store vs the file-per-object store before it, so group commit included): 4 KiB bodies
 * ~1,800 vs ~650 ops/s with inline alone; 16 KiB 2,047 vs 667; 64 KiB 949 vs 609 — still
 * ahead at 64 KiB, while larger rows mostly grow the WAL every commit and checkpoint copies.
 */
export const INLINE_MAX_BYTES = 64 * 1024

export function isInlineBlobId(id: string): boolean {
  return id.charCodeAt(0) === 105 /* 'i' */
}

/**
 * A new inline blob id: `i`, the time in ms (12 hex digits), a per-process counter (8) and a
 * per-process random tag (12). Ids made one after another sort one after another (they
 * were keys of an index of their own before the bytes moved into the version row).
 */
export function newInlineBlobId(): string {
  // below 2^30 the counter stays a small integer, whose hex V8 writes without a runtime call
  inlineCounter = (inlineCounter + 1) % 0x4000_0000
  return `${timeHex(Date.now())}${inlineCounter.toString(16).padStart(8, '0')}${INLINE_TAG}`
}

/** `i` and the time's hex, formatted once per millisecond. */
const timeHex = formatOnChange((ms) => `i${ms.toString(16).padStart(12, '0')}`)

const INLINE_TAG = randomBytes(6).toString('hex')
let inlineCounter = randomBytes(4).readUInt32BE(0) % 0x4000_0000
