/**
 * Reading objects: resolve a key (and optional version) to its stored version with COS's
 * errors, and open its blob. A concurrent overwrite may remove the blob between the
 * lookup and the open; the open then retries with the new latest version.
 */
import { Readable } from 'node:stream'
import { CosError } from '../core/cos/errors.ts'
import { blobGone, SMALL_BLOB_BYTES, type BlobReader, type BlobStore } from '../store/blob-store.ts'
import { isInlineBlobId } from '../store/inline-blobs.ts'
import type { ObjectMetadata, StoredVersion } from '../store/object-metadata.ts'
import type { ObjectVersion } from '../store/object-types.ts'

export interface OpenedObject {
  version: ObjectVersion
  /** The whole object's bytes; the caller must consume or destroy it (that closes the blob). */
  body: Readable
}

/**
 * What GET serves: a small or inline object's bytes read at once, or an open blob (a file
 * or a composite's files) to stream; the caller streams from `reader` or closes it.
 */
export type ReadableObject =
  | { version: ObjectVersion; reader: BlobReader; bytes?: undefined }
  | { version: ObjectVersion; reader?: undefined; bytes: Buffer }

export interface ObjectReads {
  /** The version GET/HEAD would serve; NoSuchBucket, NoSuchKey, NoSuchVersion otherwise. */
  headObject(bucket: string, key: string, versionId?: string, purpose?: 'read' | 'copy'): StoredVersion
  /**
   * The bytes start..end (inclusive) of a version just looked up with headObject; rejects with
   * ENOENT when its blob was removed meanwhile (look the version up again).
   */
  openVersionRange(version: StoredVersion, start: number, end: number): Promise<Readable>
  /** The bytes of a version with an inline blob (in its row); throws ENOENT when the row is gone. */
  inlineBytes(version: StoredVersion): Buffer
  openObject(bucket: string, key: string, versionId?: string): Promise<OpenedObject>
  /** The object's bytes (small or inline objects, one synchronous read) or an open blob. */
  readObject(bucket: string, key: string, versionId?: string): Promise<ReadableObject>
  /**
   * GET's fast path, synchronous: the latest version of an inline object with its bytes, or
   * undefined for anything else (then readObject answers, with its errors).
   */
  readLatestInline(bucket: string, key: string): { version: ObjectVersion; bytes: Buffer } | undefined
}

export function createObjectReads(meta: ObjectMetadata, blobs: BlobStore): ObjectReads {
  function headObject(
    bucket: string,
    key: string,
    versionId?: string,
    _purpose: 'read' | 'copy' = 'read'
  ): StoredVersion {
    if (!meta.getBucket(bucket)) {
      throw new CosError('NoSuchBucket', `The specified bucket "${bucket}" does not exist.`)
    }
    if (versionId !== undefined) {
      const version = meta.version(bucket, key, versionId)
      if (!version) throw new CosError('NoSuchVersion', 'The specified version does not exist.')
      if (version.isDeleteMarker) {
        throw new CosError('MethodNotAllowed', 'The specified method is not allowed against a delete marker.', {
          headers: { 'x-cos-delete-marker': 'true', 'x-cos-version-id': version.versionId }
        })
      }
      return version
    }
    const latest = meta.latest(bucket, key)
    if (!latest) throw new CosError('NoSuchKey', 'The specified key does not exist.')
    if (latest.isDeleteMarker) {
      throw new CosError('NoSuchKey', 'The specified key does not exist.', {
        headers: { 'x-cos-delete-marker': 'true', 'x-cos-version-id': latest.versionId }
      })
    }
    return latest
  }

  /** GET of the latest version of a small inline object: one lookup brings the row and the bytes. */
  function readLatestInline(bucket: string, key: string): { version: ObjectVersion; bytes: Buffer } | undefined {
    const found = meta.latestWithBytes(bucket, key)
    if (!found?.bytes || found.version.isDeleteMarker || !meta.getBucket(bucket)) return undefined
    return { version: found.version, bytes: found.bytes }
  }

  function inlineBytes(version: StoredVersion): Buffer {
    const bytes = meta.inlineBytes(version.rowId)
    if (!bytes) throw blobGone(version.blobId as string)
    return bytes
  }

  async function openVersionRange(version: StoredVersion, start: number, end: number): Promise<Readable> {
    const blobId = version.blobId as string
    if (isInlineBlobId(blobId)) return Readable.from([inlineBytes(version).subarray(start, end + 1)])
    return blobs.openRange(blobId, start, end)
  }

  async function readObject(bucket: string, key: string, versionId?: string): Promise<ReadableObject> {
    for (let attempt = 0; ; attempt++) {
      const version = headObject(bucket, key, versionId)
      const blobId = version.blobId as string
      try {
        if (isInlineBlobId(blobId)) return { version, bytes: inlineBytes(version) }
        if (version.size <= SMALL_BLOB_BYTES) return { version, bytes: blobs.readSmall(blobId) }
        return { version, reader: await blobs.reader(blobId) }
      } catch (error) {
        if (!isMissing(error) || attempt >= 5) throw error
      }
    }
  }

  async function openObject(bucket: string, key: string, versionId?: string): Promise<OpenedObject> {
    for (let attempt = 0; ; attempt++) {
      const version = headObject(bucket, key, versionId)
      try {
        return { version, body: await openVersionRange(version, 0, Math.max(version.size - 1, 0)) }
      } catch (error) {
        if (!isMissing(error) || attempt >= 5) throw error
      }
    }
  }

  return { headObject, openObject, readObject, openVersionRange, inlineBytes, readLatestInline }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
