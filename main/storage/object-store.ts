/**
 * The storage service: buckets, objects and multipart uploads over the blob store and the
 * metadata tables. Every mutation that creates or removes an object commits its metadata
 * and its ObjectEvent in one transaction, then wakes the event bus. Bytes are streamed to
 * a blob before the commit; blobs freed by a commit are removed after it.
 */
import { Readable } from 'node:stream'
import type { Clock } from '../core/clock.ts'
import { validateBucketName } from '../core/cos/bucket-name.ts'
import { CosError } from '../core/cos/errors.ts'
import { listPage, type ListingPage, type ListingParams } from '../core/cos/listing.ts'
import { validateKey } from '../core/cos/object-key.ts'
import { listVersionsPage, type VersionListingParams, type VersionPage } from '../core/cos/version-listing.ts'
import { validateRegion } from '../core/cos/region.ts'
import { createBlobStore, type WrittenBlob } from '../store/blob-store.ts'
import { createGroupCommit } from '../store/group-commit.ts'
import type { WriterThread } from '../store/writer-thread.ts'
import { createExtents, type Extent } from '../store/extents.ts'
import { isInlineBlobId, newInlineBlobId } from '../store/inline-blobs.ts'
import { md5HexOf } from './content-md5.ts'
import type { Db } from '../store/db.ts'
import type { EventQueue } from '../store/event-queue.ts'
import { createMultipartService, type MultipartService } from './multipart-service.ts'
import { createObjectMetadata } from '../store/object-metadata.ts'
import { createObjectReads, type ObjectReads } from './object-reads.ts'
import type {
  BucketInfo,
  CopyObjectOptions,
  DeleteError,
  DeleteOutcome,
  ObjectSummary,
  ObjectVersion,
  PutObjectOptions,
  RequestContext,
  VersioningStatus
} from '../store/object-types.ts'
import { startOrphanSweep } from '../store/orphan-sweep.ts'
import { createVersionIdSource } from './version-id.ts'
import { createCommits, type NewBlobRows, type NewObject } from './version-commits.ts'

export type * from '../store/object-types.ts'

export interface ObjectStoreOptions {
  db: Db
  queue: EventQueue
  dataDir: string
  clock: Clock
  fsync: boolean
  appid: string
  defaultRegion: string
  /** How long after start the orphan-blob sweep begins (default 2 s). */
  orphanSweepDelayMs?: number
  /** The thread that commits the PUTs' group commits (store/writer-thread.ts); else this one. */
  writer?: WriterThread
}

export interface ObjectStore extends ObjectReads, MultipartService {
  readonly appid: string
  readonly defaultRegion: string
  listBuckets(): BucketInfo[]
  getBucket(name: string): BucketInfo
  createBucket(name: string, region: string): BucketInfo
  deleteBucket(name: string): void
  setVersioning(name: string, status: 'Enabled' | 'Suspended'): void
  listObjects(bucket: string, params: ListingParams): ListingPage<ObjectSummary>
  /** GET /?versions: every version and delete marker, keys in order, newest first. */
  listVersions(bucket: string, params: VersionListingParams): VersionPage<ObjectVersion>
  putObject(
    bucket: string,
    key: string,
    body: Readable,
    options: PutObjectOptions,
    ctx: RequestContext
  ): Promise<ObjectVersion>
  copyObject(bucket: string, key: string, options: CopyObjectOptions, ctx: RequestContext): Promise<ObjectVersion>
  /** `keepMarkerId`: the version id a new delete marker gets (a replicated marker keeps its source's). */
  deleteObject(
    bucket: string,
    key: string,
    versionId: string | undefined,
    ctx: RequestContext,
    keepMarkerId?: string
  ): DeleteOutcome
  deleteObjects(
    bucket: string,
    items: { key: string; versionId?: string }[],
    ctx: RequestContext
  ): (DeleteOutcome | DeleteError)[]
  /**
   * Put a version back as it was saved (snapshot load): its id, time, headers and ETag kept,
   * appended as the key's latest, without an event (loading a snapshot triggers nothing).
   * Versions of a key go in oldest first.
   */
  importVersion(version: Omit<ObjectVersion, 'isLatest' | 'blobId'>, body: Uint8Array | undefined): Promise<void>
  /** Stop background work (the orphan-blob sweep, the hashing thread) and wait for it; call before closing the database. */
  idle(): Promise<void>
}

const MAX_BUCKETS = 200

export function createObjectStore(opts: ObjectStoreOptions): ObjectStore {
  const { db, queue, clock } = opts
  const extents = createExtents(db)
  const blobs = createBlobStore(opts.dataDir, { fsync: opts.fsync, extents })
  const meta = createObjectMetadata(db)
  const now = () => clock.now()
  const commits = createCommits(meta, queue, now, createVersionIdSource(now), extents)
  const reads = createObjectReads(meta, blobs)
  const multipart = createMultipartService({ meta, blobs, commits, db, queue, now, reads })
  const sweep = startOrphanSweep(db, blobs, Date.now(), opts.orphanSweepDelayMs)

  const groupCommit = createGroupCommit(db, {
    afterCommit: () => queue.notify(),
    inCommit: () => queue.runInCommit(),
    staging: { begin: () => queue.beginGroup(), end: () => queue.endGroup(), abort: () => queue.abortGroup() },
    writer: opts.writer
  })

  /**
   * Commit a new latest version (with its inline bytes or extents, if any) in the next group
   * commit; on failure the new blob's files are removed.
   */
  async function commitObject(
    object: NewObject,
    event: Parameters<typeof commits.putVersion>[1],
    ctx: RequestContext,
    keepVersionId?: string,
    rows?: NewBlobRows
  ): Promise<ObjectVersion> {
    let result
    try {
      result = await groupCommit(() => commits.putVersion(object, event, ctx, keepVersionId, rows))
    } catch (error) {
      if (object.blobId) blobs.remove([object.blobId, ...(rows?.extents ?? []).map((extent) => extent.blobId)])
      throw error
    }
    blobs.remove(result.freed)
    return result.version
  }

  return {
    appid: opts.appid,
    defaultRegion: opts.defaultRegion,
    ...reads,
    ...multipart,

    listBuckets: () => meta.listBuckets(),
    getBucket: (name) => commits.requireBucket(name),

    createBucket(name, region) {
      validateRegion(region)
      validateBucketName(name, region)
      return db.transaction(() => {
        if (meta.getBucket(name)) {
          throw new CosError('BucketAlreadyOwnedByYou', `The bucket "${name}" already exists and is owned by you.`)
        }
        if (meta.listBuckets().length >= MAX_BUCKETS) {
          throw new CosError('TooManyBuckets', `You can create at most ${MAX_BUCKETS} buckets.`)
        }
        const bucket: BucketInfo = { name, region, createdAt: now(), versioning: '' }
        meta.insertBucket(bucket)
        return bucket
      })()
    },

    deleteBucket(name) {
      db.transaction(() => {
        commits.requireBucket(name)
        if (meta.bucketHasObjects(name)) {
          throw new CosError('BucketNotEmpty', `The bucket "${name}" is not empty: delete its objects first.`)
        }
        if (meta.bucketHasUploads(name)) {
          throw new CosError(
            'BucketNotEmpty',
            `The bucket "${name}" has multipart uploads in progress: abort them first.`
          )
        }
        meta.deleteBucket(name)
      })()
    },

    setVersioning(name, status) {
      db.transaction(() => {
        commits.requireBucket(name)
        meta.setVersioning(name, status satisfies VersioningStatus)
      })()
    },

    listVersions(bucket, params) {
      commits.requireBucket(bucket)
      return listVersionsPage(params, {
        entries: (from, inclusive, limit, end) =>
          meta.versionsFrom(bucket, from, inclusive, limit, end).map(({ rowId: _rowId, ...version }) => version),
        versions: (key) => meta.versionsOf(bucket, key).map(({ rowId: _rowId, ...version }) => version)
      })
    },

    listObjects(bucket, params) {
      commits.requireBucket(bucket)
      return listPage(params, {
        read: (from, inclusive, limit, end) => meta.listLatest(bucket, from, inclusive, limit, end)
      })
    },

    async putObject(bucket, key, body, options, ctx) {
      validateKey(key)
      commits.requireBucket(bucket)
      const expectedMd5 = options.contentMd5 === undefined ? undefined : md5HexOf(options.contentMd5)
      const blob = await blobs.write(body, {
        check: (written) => checkBody(written, options.contentLength, expectedMd5),
        sizeHint: options.contentLength,
        inline: true
      })
      return commitObject(
        {
          bucket,
          key,
          blobId: blob.id,
          size: blob.size,
          etag: blob.md5,
          storageClass: options.storageClass,
          headers: options.headers
        },
        options.event ?? 'cos:ObjectCreated:Put',
        ctx,
        options.versionId,
        { inline: blob.inline }
      )
    },

    async copyObject(bucket, key, options, ctx) {
      validateKey(key)
      commits.requireBucket(bucket)
      for (let attempt = 0; ; attempt++) {
        const source = reads.headObject(options.sourceBucket, options.sourceKey, options.sourceVersionId, 'copy')
        if (options.sourceCondition && !options.sourceCondition(source)) {
          throw new CosError(
            'PreconditionFailed',
            'At least one of the copy-source preconditions you specified did not hold.'
          )
        }
        let copied: { id: string; inline?: Uint8Array; extents?: Extent[] }
        try {
          // inline bytes are read with the version, in the same turn as its lookup
          copied = isInlineBlobId(source.blobId as string)
            ? { id: newInlineBlobId(), inline: reads.inlineBytes(source) }
            : await blobs.copy(source.blobId as string)
        } catch (error) {
          if (isMissing(error) && attempt < 5) continue
          throw error
        }
        return commitObject(
          {
            bucket,
            key,
            blobId: copied.id,
            size: source.size,
            etag: source.etag,
            storageClass: options.storageClass ?? 'STANDARD',
            headers: options.metadataDirective === 'Replaced' ? options.headers : source.headers
          },
          'cos:ObjectCreated:Copy',
          ctx,
          undefined,
          { inline: copied.inline, extents: copied.extents }
        )
      }
    },

    deleteObject(bucket, key, versionId, ctx, keepMarkerId) {
      const { outcome, freed } = db.transaction(() => commits.deleteKey(bucket, key, versionId, ctx, keepMarkerId))()
      queue.notify()
      blobs.remove(freed)
      return outcome
    },

    async importVersion(version, body) {
      validateKey(version.key)
      commits.requireBucket(version.bucket)
      const blob =
        body === undefined
          ? undefined
          : await blobs.write(Readable.from([body]), { sizeHint: body.length, inline: true })
      try {
        db.transaction(() => {
          meta.clearLatest(version.bucket, version.key)
          meta.insertVersion({ ...version, blobId: blob?.id ?? null }, blob?.inline)
        })()
      } catch (error) {
        if (blob) blobs.remove([blob.id])
        throw error
      }
    },

    deleteObjects(bucket, items, ctx) {
      const freed: string[] = []
      const results = db.transaction(() => {
        commits.requireBucket(bucket)
        return items.map((item): DeleteOutcome | DeleteError => {
          try {
            validateKey(item.key)
            const result = commits.deleteKey(bucket, item.key, item.versionId, ctx)
            freed.push(...result.freed)
            return result.outcome
          } catch (error) {
            if (!(error instanceof CosError)) throw error
            return { key: item.key, versionId: item.versionId ?? '', code: error.code, message: error.message }
          }
        })
      })()
      queue.notify()
      blobs.remove(freed)
      return results
    },

    async idle() {
      sweep.stop()
      await Promise.all([sweep.done, blobs.close()])
    }
  }
}

function checkBody(written: WrittenBlob, expectedLength: number | undefined, expectedMd5: string | undefined): void {
  if (expectedLength !== undefined && written.size !== expectedLength) {
    throw new CosError(
      'IncompleteBody',
      `The request body has ${written.size} bytes, but ${expectedLength} were announced.`
    )
  }
  if (expectedMd5 !== undefined && written.md5 !== expectedMd5) {
    throw new CosError('BadDigest', 'The Content-MD5 you specified did not match what was received.')
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
