/**
 * Multipart uploads: Initiate, Upload Part, Upload Part - Copy, Complete, Abort,
 * List Parts, List Multipart Uploads.
 */
import { parseCopySource } from '../../core/cos/copy-source.ts'
import { archiveAware } from '../copy-conditions.ts'
import { CosError } from '../../core/cos/errors.ts'
import { parsePartNumber } from '../../core/cos/multipart-rules.ts'
import { parseStorageClass } from '../../core/cos/storage-class.ts'
import { bucketHost } from '../../core/cos/bucket-name.ts'
import type { MultipartUpload } from '../../storage/object-store.ts'
import { copySourceCondition } from '../copy-conditions.ts'
import type { Exchange } from '../exchange.ts'
import { headerOf, sendEmpty, sendXml } from '../exchange.ts'
import { listingQuery } from '../listing-query.ts'
import { storedHeaders } from '../object-headers.ts'
import { payloadOf } from '../request-body.ts'
import { childOf, parseXml, readBody, textOf } from '../xml-in.ts'
import { isoDate, listedKey, ownerNode, quoteEtag, xmlDocument } from '../xml-out.ts'
import { versionHeader } from './object-write.ts'

export function initiateUpload(ex: Exchange): void {
  ex.req.resume()
  const upload = ex.store.initiateMultipart(
    ex.target.bucket,
    ex.target.key,
    storedHeaders(ex.req.headers, ex.target.key),
    parseStorageClass(ex.cosHeader('storage-class'))
  )
  sendXml(
    ex,
    200,
    xmlDocument('InitiateMultipartUploadResult', { Bucket: upload.bucket, Key: upload.key, UploadId: upload.uploadId })
  )
}

export async function uploadPart(ex: Exchange): Promise<void> {
  const partNumber = partNumberOf(ex)
  const uploadId = ex.query.get('uploadId') as string
  const payload = payloadOf(ex)
  const part = await ex.store.uploadPart(ex.target.bucket, ex.target.key, uploadId, partNumber, payload.body, {
    contentMd5: headerOf(ex, 'content-md5'),
    contentLength: payload.length
  })
  sendEmpty(ex, 200, { ETag: quoteEtag(part.etag) })
}

export async function uploadPartCopy(ex: Exchange): Promise<void> {
  const partNumber = partNumberOf(ex)
  const uploadId = ex.query.get('uploadId') as string
  ex.req.resume()
  const source = parseCopySource(ex.cosHeader('copy-source') as string)
  const part = await ex.store.uploadPartCopy(ex.target.bucket, ex.target.key, uploadId, partNumber, {
    bucket: source.bucket,
    key: source.key,
    versionId: source.versionId,
    range: ex.cosHeader('copy-source-range'),
    condition: archiveAware(ex, copySourceCondition(ex))
  })
  sendXml(
    ex,
    200,
    xmlDocument('CopyPartResult', { ETag: quoteEtag(part.etag), LastModified: isoDate(part.lastModified) })
  )
}

function partNumberOf(ex: Exchange): number {
  const partNumber = parsePartNumber(ex.query.get('partNumber'))
  if (partNumber === undefined) {
    throw new CosError('InvalidArgument', 'partNumber must be an integer from 1 to 10000.')
  }
  return partNumber
}

export async function completeUpload(ex: Exchange): Promise<void> {
  const uploadId = ex.query.get('uploadId') as string
  const body = await readBody(ex.req)
  const root = childOf(parseXml(body), 'CompleteMultipartUpload')
  const parts = childOf(root, 'Part')
  if (!Array.isArray(parts)) throw new CosError('MalformedXML', 'CompleteMultipartUpload must list its Parts.')
  const requested = parts.map((part: unknown) => {
    const number = textOf(part, 'PartNumber')?.trim()
    const etag = textOf(part, 'ETag')
    if (number === undefined || !/^\d+$/.test(number) || etag === undefined) {
      throw new CosError('MalformedXML', 'Every Part needs a PartNumber and an ETag.')
    }
    return { partNumber: Number(number), etag }
  })
  const version = await ex.store.completeMultipart(ex.target.bucket, ex.target.key, uploadId, requested, ex.context)
  const bucket = ex.store.getBucket(ex.target.bucket)
  sendXml(
    ex,
    200,
    xmlDocument('CompleteMultipartUploadResult', {
      Location: `${bucketHost(bucket.name, bucket.region)}/${ex.target.key}`,
      Bucket: bucket.name,
      Key: ex.target.key,
      ETag: quoteEtag(version.etag)
    }),
    versionHeader(ex, version.versionId)
  )
}

export function abortUpload(ex: Exchange): void {
  ex.store.abortMultipart(ex.target.bucket, ex.target.key, ex.query.get('uploadId') as string)
  sendEmpty(ex, 204)
}

export function listParts(ex: Exchange): void {
  const { url, max: maxParts } = listingQuery(ex.query, 'max-parts')
  const marker = Number(ex.query.get('part-number-marker') ?? '0')
  if (!Number.isInteger(marker) || marker < 0) {
    throw new CosError('InvalidArgument', 'part-number-marker must be a non-negative integer.')
  }
  const result = ex.store.listParts(
    ex.target.bucket,
    ex.target.key,
    ex.query.get('uploadId') as string,
    marker,
    maxParts
  )
  sendXml(
    ex,
    200,
    xmlDocument('ListPartsResult', {
      Bucket: ex.target.bucket,
      EncodingType: url ? 'url' : undefined,
      Key: listedKey(ex.target.key, url),
      UploadId: result.upload.uploadId,
      Initiator: owner(ex),
      Owner: owner(ex),
      StorageClass: result.upload.storageClass,
      PartNumberMarker: marker,
      NextPartNumberMarker: result.nextPartNumberMarker,
      MaxParts: maxParts,
      IsTruncated: result.isTruncated,
      Part: result.parts.map((part) => ({
        PartNumber: part.partNumber,
        LastModified: isoDate(part.lastModified),
        ETag: quoteEtag(part.etag),
        Size: part.size
      }))
    })
  )
}

export function listUploads(ex: Exchange): void {
  const q = ex.query
  const { url, max: maxUploads, prefix, delimiter } = listingQuery(q, 'max-uploads')
  const params = {
    prefix,
    delimiter,
    keyMarker: q.get('key-marker') ?? '',
    uploadIdMarker: q.get('upload-id-marker') ?? '',
    maxUploads
  }
  const result = ex.store.listUploads(ex.target.bucket, params)
  sendXml(
    ex,
    200,
    xmlDocument('ListMultipartUploadsResult', {
      Bucket: ex.target.bucket,
      EncodingType: url ? 'url' : undefined,
      KeyMarker: listedKey(params.keyMarker, url),
      UploadIdMarker: params.uploadIdMarker,
      NextKeyMarker: result.isTruncated ? listedKey(result.nextKeyMarker, url) : undefined,
      NextUploadIdMarker: result.isTruncated ? result.nextUploadIdMarker : undefined,
      MaxUploads: maxUploads,
      IsTruncated: result.isTruncated,
      Prefix: listedKey(params.prefix, url),
      Delimiter: params.delimiter === '' ? undefined : listedKey(params.delimiter, url),
      Upload: result.uploads.map((upload: MultipartUpload) => ({
        Key: listedKey(upload.key, url),
        UploadId: upload.uploadId,
        StorageClass: upload.storageClass,
        Initiator: owner(ex),
        Owner: owner(ex),
        Initiated: isoDate(upload.initiated)
      })),
      CommonPrefixes: result.commonPrefixes.map((prefix) => ({ Prefix: listedKey(prefix, url) }))
    })
  )
}

function owner(ex: Exchange): { ID: string; DisplayName: string } {
  return ownerNode(ex.store.appid)
}
