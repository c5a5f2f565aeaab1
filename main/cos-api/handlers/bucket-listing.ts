/**
 * GET Bucket: List Objects v1 (marker) and ListObjectsV2 (`list-type=2`: continuation
 * token, start-after, fetch-owner, KeyCount), with `encoding-type=url`. The response's
 * `Server-Timing: list;dur=MS` is the server's own time for the page (the lookup, the XML
 * and its bytes), so a client timing pages from outside can tell its delays from the server's.
 */
import { CosError } from '../../core/cos/errors.ts'
import type { ObjectSummary } from '../../storage/object-store.ts'
import type { Exchange } from '../exchange.ts'
import { sendXml } from '../exchange.ts'
import { listingQuery } from '../listing-query.ts'
import { XmlBytes } from '../xml-bytes.ts'
import { escapeXml } from '../../core/cos/xml-escape.ts'
import { isoDate, listedKey, ownerNode, RawXml, toXml, xmlDocument, type XmlNode } from '../xml-out.ts'

/** Where the encoded Contents go in the rendered document (escaped text never holds `<!--`). */
const CONTENTS_SLOT = '<!--contents-->'

export function listObjects(ex: Exchange): void {
  const started = performance.now()
  const q = ex.query
  const { url, max: maxKeys, prefix, delimiter } = listingQuery(q, 'max-keys')
  const v2 = q.get('list-type') === '2'
  const token = q.get('continuation-token')
  const startAfter = q.get('start-after') ?? ''
  const marker = v2 ? (token !== null ? decodeToken(token) : startAfter) : (q.get('marker') ?? '')

  const page = ex.store.listObjects(ex.target.bucket, { prefix, delimiter, marker, maxKeys })
  const withOwner = !v2 || q.get('fetch-owner') === 'true'
  const owner = withOwner ? toXml({ Owner: ownerNode(ex.store.appid) }) : ''
  const commonPrefixes = page.commonPrefixes.map((p) => ({ Prefix: listedKey(p, url) }))
  const common = {
    Name: ex.target.bucket,
    Prefix: listedKey(prefix, url),
    Delimiter: delimiter === '' ? undefined : listedKey(delimiter, url),
    MaxKeys: maxKeys,
    EncodingType: url ? 'url' : undefined
  }
  const body: XmlNode = v2
    ? {
        ...common,
        ContinuationToken: token ?? undefined,
        StartAfter: startAfter === '' ? undefined : listedKey(startAfter, url),
        KeyCount: page.contents.length + page.commonPrefixes.length,
        IsTruncated: page.isTruncated,
        NextContinuationToken:
          page.isTruncated && page.nextMarker !== undefined ? encodeToken(page.nextMarker) : undefined,
        Contents: new RawXml(CONTENTS_SLOT),
        CommonPrefixes: commonPrefixes
      }
    : {
        Name: common.Name,
        EncodingType: common.EncodingType,
        Prefix: common.Prefix,
        Marker: listedKey(marker, url),
        MaxKeys: maxKeys,
        Delimiter: common.Delimiter,
        IsTruncated: page.isTruncated,
        NextMarker: page.isTruncated && page.nextMarker !== undefined ? listedKey(page.nextMarker, url) : undefined,
        Contents: new RawXml(CONTENTS_SLOT),
        CommonPrefixes: commonPrefixes
      }
  // Contents are the bulk of a page (up to 1000 entries): written as strings, not as nodes,
  // and encoded as they are written (xml-bytes.ts), between the document's two halves
  const xml = xmlDocument('ListBucketResult', body)
  const slot = xml.indexOf(CONTENTS_SLOT)
  const out = new XmlBytes()
  out.add(xml.slice(0, slot))
  for (const item of page.contents) out.add(contentXml(item, url, owner))
  out.add(xml.slice(slot + CONTENTS_SLOT.length))
  sendXml(ex, 200, out.bytes(), { 'Server-Timing': `list;dur=${(performance.now() - started).toFixed(2)}` })
}

function contentXml(item: ObjectSummary, url: boolean, owner: string): string {
  return (
    `<Contents><Key>${escapeXml(listedKey(item.key, url))}</Key><LastModified>${isoDate(item.lastModified)}</LastModified>` +
    `<ETag>&quot;${item.etag}&quot;</ETag><Size>${item.size}</Size>${owner}` +
    `<StorageClass>${item.storageClass}</StorageClass></Contents>`
  )
}

function encodeToken(marker: string): string {
  return Buffer.from(marker, 'utf8').toString('base64url')
}

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) {
    throw new CosError('InvalidArgument', 'The continuation token provided is incorrect.')
  }
  return Buffer.from(token, 'base64url').toString('utf8')
}
