/**
 * Multipart uploads: parts are blob files of their own; Complete checks the part list
 * (core/cos/multipart-rules.ts) and commits, in one transaction with the
 * CompleteMultipartUpload event, the object's latest version as a composite blob whose
 * extents are the chosen parts' files (extents.ts): no byte is copied, so Complete costs
 * O(parts). The files of parts replaced, aborted or left out of Complete are removed after
 * the commit that drops them (or by the orphan sweep, after a crash).
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import { CosError } from '../core/cos/errors.ts'
import { compareKeys } from '../core/cos/key-order.ts'
import { multipartEtag, selectCompletedParts, type RequestedPart } from '../core/cos/multipart-rules.ts'
import { validateKey } from '../core/cos/object-key.ts'
import type { StorageClass } from '../core/cos/storage-class.ts'
import type { BlobStore } from '../store/blob-store.ts'
import { layExtents, newCompositeBlobId } from '../store/extents.ts'
import { md5HexOf } from './content-md5.ts'
import type { Db } from '../store/db.ts'
import type { EventQueue } from '../store/event-queue.ts'
import type { ObjectMetadata, StoredPart } from '../store/object-metadata.ts'
import type { ObjectReads } from './object-reads.ts'
import type {
  ListPartsResult,
  ListUploadsParams,
  ListUploadsResult,
  MultipartUpload,
  ObjectHeaders,
  ObjectVersion,
  RequestContext,
  UploadedPart
} from '../store/object-types.ts'
import type { Commits } from './version-commits.ts'

export interface MultipartService {
  initiateMultipart(bucket: string, key: string, headers: ObjectHeaders, storageClass: StorageClass): MultipartUpload
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    check: { contentMd5?: string; contentLength?: number }
  ): Promise<UploadedPart>
  uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: {
      bucket: string
      key: string
      versionId?: string
      range?: string
      condition?: (v: ObjectVersion) => boolean
    }
  ): Promise<UploadedPart>
  completeMultipart(
    bucket: string,
    key: string,
    uploadId: string,
    parts: RequestedPart[],
    ctx: RequestContext
  ): Promise<ObjectVersion>
  abortMultipart(bucket: string, key: string, uploadId: string): void
  listParts(bucket: string, key: string, uploadId: string, partNumberMarker: number, maxParts: number): ListPartsResult
  listUploads(bucket: string, params: ListUploadsParams): ListUploadsResult
}

interface Deps {
  meta: ObjectMetadata
  blobs: BlobStore
  commits: Commits
  db: Db
  queue: EventQueue
  now: () => number
  reads: ObjectReads
}

export function createMultipartService({ meta, blobs, commits, db, queue, now, reads }: Deps): MultipartService {
  function requireUpload(bucket: string, key: string, uploadId: string): MultipartUpload {
    commits.requireBucket(bucket)
    const upload = meta.getUpload(uploadId)
    if (!upload || upload.bucket !== bucket || upload.key !== key) {
      throw new CosError('NoSuchUpload', 'The specified multipart upload does not exist.')
    }
    return upload
  }

  /** Record a part written to `blob`; the upload may have been aborted meanwhile. */
  function commitPart(bucket: string, key: string, uploadId: string, part: StoredPart): UploadedPart {
    let replaced: StoredPart | undefined
    try {
      db.transaction(() => {
        requireUpload(bucket, key, uploadId)
        replaced = meta.getPart(uploadId, part.partNumber)
        meta.upsertPart(uploadId, part)
      })()
    } catch (error) {
      blobs.remove([part.blobId])
      throw error
    }
    if (replaced) blobs.remove([replaced.blobId])
    return { partNumber: part.partNumber, etag: part.etag, size: part.size, lastModified: part.lastModified }
  }

  return {
    initiateMultipart(bucket, key, headers, storageClass) {
      validateKey(key)
      commits.requireBucket(bucket)
      const initiated = now()
      const uploadId = `${Math.floor(initiated / 1000)}${randomBytes(20).toString('hex')}`
      const upload: MultipartUpload = { uploadId, bucket, key, initiated, storageClass, headers }
      meta.insertUpload(upload)
      return upload
    },

    async uploadPart(bucket, key, uploadId, partNumber, body, check) {
      requireUpload(bucket, key, uploadId)
      const expectedMd5 = check.contentMd5 === undefined ? undefined : md5HexOf(check.contentMd5)
      const blob = await blobs.write(body, {
        sizeHint: check.contentLength,
        check: (written) => {
          if (check.contentLength !== undefined && written.size !== check.contentLength) {
            throw new CosError(
              'IncompleteBody',
              `The part has ${written.size} bytes, but ${check.contentLength} were announced.`
            )
          }
          if (expectedMd5 !== undefined && written.md5 !== expectedMd5) {
            throw new CosError('BadDigest', 'The Content-MD5 you specified did not match what was received.')
          }
        }
      })
      return commitPart(bucket, key, uploadId, {
        partNumber,
        blobId: blob.id,
        size: blob.size,
        etag: blob.md5,
        lastModified: now()
      })
    },

    async uploadPartCopy(bucket, key, uploadId, partNumber, source) {
      requireUpload(bucket, key, uploadId)
      for (let attempt = 0; ; attempt++) {
        const version = reads.headObject(source.bucket, source.key, source.versionId, 'copy')
        if (source.condition && !source.condition(version)) {
          throw new CosError(
            'PreconditionFailed',
            'At least one of the copy-source preconditions you specified did not hold.'
          )
        }
        const [start, end] = copyRange(source.range, version.size)
        let blob
        try {
          blob = await blobs.write(end < start ? emptyStream() : await reads.openVersionRange(version, start, end))
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 5) continue
          throw error
        }
        return commitPart(bucket, key, uploadId, {
          partNumber,
          blobId: blob.id,
          size: blob.size,
          etag: blob.md5,
          lastModified: now()
        })
      }
    },

    async completeMultipart(bucket, key, uploadId, requested, ctx) {
      // one synchronous transaction: the parts cannot change between the check and the commit
      const { version, freed } = db.transaction(() => {
        const upload = requireUpload(bucket, key, uploadId)
        const stored = meta.allParts(uploadId)
        const chosen = selectCompletedParts(requested, new Map(stored.map((part) => [part.partNumber, part])))
        const etag = multipartEtag(
          chosen.map((part) => part.etag),
          (bytes) => createHash('md5').update(bytes).digest('hex')
        )
        const extents = layExtents(chosen)
        const size = chosen.reduce((sum, part) => sum + part.size, 0)
        const kept = new Set(extents.map((extent) => extent.blobId))
        const single = extents.length === 1 ? extents[0] : undefined
        meta.deleteUpload(uploadId)
        const result = commits.putVersion(
          {
            bucket,
            key,
            // one part with bytes is a plain blob file; more are a composite of the parts' files
            blobId: single ? single.blobId : newCompositeBlobId(),
            size,
            etag,
            storageClass: upload.storageClass,
            headers: upload.headers
          },
          'cos:ObjectCreated:CompleteMultipartUpload',
          ctx,
          undefined,
          single ? undefined : { extents }
        )
        const unused = stored.filter((part) => !kept.has(part.blobId)).map((part) => part.blobId)
        return { version: result.version, freed: [...result.freed, ...unused] }
      })()
      queue.notify()
      blobs.remove(freed)
      return version
    },

    abortMultipart(bucket, key, uploadId) {
      let freed: string[] = []
      db.transaction(() => {
        requireUpload(bucket, key, uploadId)
        freed = meta.allParts(uploadId).map((part) => part.blobId)
        meta.deleteUpload(uploadId)
      })()
      blobs.remove(freed)
    },

    listParts(bucket, key, uploadId, partNumberMarker, maxParts) {
      const upload = requireUpload(bucket, key, uploadId)
      const rows = meta.listParts(uploadId, partNumberMarker, maxParts + 1)
      const isTruncated = rows.length > maxParts
      const parts = rows.slice(0, maxParts).map((part) => ({
        partNumber: part.partNumber,
        etag: part.etag,
        size: part.size,
        lastModified: part.lastModified
      }))
      const last = parts[parts.length - 1]
      return { upload, parts, isTruncated, nextPartNumberMarker: last ? last.partNumber : partNumberMarker }
    },

    listUploads(bucket, params) {
      commits.requireBucket(bucket)
      return listUploadPage(meta, bucket, params)
    }
  }
}

function listUploadPage(meta: ObjectMetadata, bucket: string, params: ListUploadsParams): ListUploadsResult {
  const { prefix, delimiter, keyMarker, uploadIdMarker, maxUploads } = params
  const result: ListUploadsResult = {
    uploads: [],
    commonPrefixes: [],
    isTruncated: false,
    nextKeyMarker: '',
    nextUploadIdMarker: ''
  }
  const from = compareKeys(keyMarker, prefix) > 0 ? keyMarker : prefix
  let count = 0
  for (const upload of meta.listUploads(bucket, from, 100_000)) {
    if (!upload.key.startsWith(prefix)) break
    if (keyMarker !== '') {
      const order = compareKeys(upload.key, keyMarker)
      if (order < 0) continue
      if (order === 0 && (uploadIdMarker === '' || upload.uploadId <= uploadIdMarker)) continue
    }
    let rolled: string | undefined
    if (delimiter !== '') {
      const at = upload.key.indexOf(delimiter, prefix.length)
      if (at >= 0) rolled = upload.key.slice(0, at + delimiter.length)
    }
    if (
      rolled !== undefined &&
      (rolled === result.commonPrefixes[result.commonPrefixes.length - 1] || rolled === keyMarker)
    ) {
      continue
    }
    if (count === maxUploads) {
      result.isTruncated = true
      break
    }
    count++
    if (rolled !== undefined) {
      result.commonPrefixes.push(rolled)
      result.nextKeyMarker = rolled
      result.nextUploadIdMarker = ''
    } else {
      result.uploads.push(upload)
      result.nextKeyMarker = upload.key
      result.nextUploadIdMarker = upload.uploadId
    }
  }
  return result
}

/** `bytes=first-last` of x-cos-copy-source-range, inclusive; the whole object when absent. */
function copyRange(range: string | undefined, size: number): [number, number] {
  if (range === undefined || range === '') return [0, size - 1]
  const match = /^bytes=(\d+)-(\d+)$/.exec(range.trim())
  if (!match)
    throw new CosError('InvalidArgument', `The x-cos-copy-source-range "${range}" is not of the form bytes=first-last.`)
  const start = Number(match[1])
  const end = Number(match[2])
  if (end < start || end >= size) {
    throw new CosError('InvalidRange', `The range ${range} is not satisfiable for a source of ${size} bytes.`)
  }
  return [start, end]
}

async function* emptyStream(): AsyncIterable<Uint8Array> {}
