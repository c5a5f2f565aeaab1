/**
 * Bucket versioning: PUT/GET `?versioning` (Enabled or Suspended; never back to
 * unversioned) and GET `?versions` (List Object Versions with key and version-id markers).
 */
import { CosError } from '../../core/cos/errors.ts'
import type { Exchange } from '../exchange.ts'
import { sendEmpty, sendXml } from '../exchange.ts'
import { listingQuery } from '../listing-query.ts'
import { childOf, parseXml, readBody, textOf } from '../xml-in.ts'
import { XmlBytes } from '../xml-bytes.ts'
import { isoDate, listedKey, ownerNode, quoteEtag, toXml, XML_DECLARATION, xmlDocument } from '../xml-out.ts'

export async function putBucketVersioning(ex: Exchange): Promise<void> {
  const body = await readBody(ex.req, 64 * 1024)
  const status = textOf(childOf(parseXml(body), 'VersioningConfiguration'), 'Status')?.trim()
  if (status !== 'Enabled' && status !== 'Suspended') {
    throw new CosError('MalformedXML', 'VersioningConfiguration needs a Status of Enabled or Suspended.')
  }
  ex.store.setVersioning(ex.target.bucket, status)
  sendEmpty(ex, 200)
}

export function getBucketVersioning(ex: Exchange): void {
  const bucket = ex.store.getBucket(ex.target.bucket)
  sendXml(
    ex,
    200,
    xmlDocument('VersioningConfiguration', { Status: bucket.versioning === '' ? undefined : bucket.versioning })
  )
}

export function listObjectVersions(ex: Exchange): void {
  const q = ex.query
  const { url, max: maxKeys, prefix, delimiter } = listingQuery(q, 'max-keys')
  const params = {
    prefix,
    delimiter,
    keyMarker: q.get('key-marker') ?? '',
    versionIdMarker: q.get('version-id-marker') ?? '',
    maxKeys
  }
  const page = ex.store.listVersions(ex.target.bucket, params)
  const owner = ownerNode(ex.store.appid)
  const prefixes = page.items
    .filter((item) => item.kind === 'prefix')
    .map((item) => ({ Prefix: listedKey(item.prefix, url) }))
  const head = toXml({
    Name: ex.target.bucket,
    EncodingType: url ? 'url' : undefined,
    Prefix: listedKey(params.prefix, url),
    KeyMarker: listedKey(params.keyMarker, url),
    VersionIdMarker: params.versionIdMarker,
    MaxKeys: maxKeys,
    Delimiter: params.delimiter === '' ? undefined : listedKey(params.delimiter, url),
    IsTruncated: page.isTruncated,
    NextKeyMarker: page.isTruncated ? listedKey(page.nextKeyMarker, url) : undefined,
    NextVersionIdMarker: page.isTruncated && page.nextVersionIdMarker !== '' ? page.nextVersionIdMarker : undefined
  })
  const out = new XmlBytes()
  out.add(`${XML_DECLARATION}<ListVersionsResult>${head}`)
  // Versions and delete markers are written in listing order, interleaved as they occur,
  // and encoded as they are written (xml-bytes.ts)
  for (const item of page.items) {
    if (item.kind !== 'version') continue
    const { version } = item
    out.add(
      version.isDeleteMarker
        ? `<DeleteMarker>${toXml({
            Key: listedKey(version.key, url),
            VersionId: version.versionId,
            IsLatest: version.isLatest,
            LastModified: isoDate(version.lastModified),
            Owner: owner
          })}</DeleteMarker>`
        : `<Version>${toXml({
            Key: listedKey(version.key, url),
            VersionId: version.versionId,
            IsLatest: version.isLatest,
            LastModified: isoDate(version.lastModified),
            ETag: quoteEtag(version.etag),
            Size: version.size,
            StorageClass: version.storageClass,
            Owner: owner
          })}</Version>`
    )
  }
  out.add(`${toXml({ CommonPrefixes: prefixes })}</ListVersionsResult>`)
  sendXml(ex, 200, out.bytes())
}
