/** Parsers for the List Buckets (GET Service) and List Objects (GET Bucket) XML results. */
import type { BucketEntry, ObjectEntry, ObjectPage } from './types.ts'
import { children, childText, parseXml } from './xml.ts'

function root(text: string, name: string): Element {
  const element = parseXml(text)?.documentElement
  if (element?.localName !== name) throw new Error(`Unexpected COS response: expected <${name}>`)
  return element
}

/** ListAllMyBucketsResult → buckets, sorted by name. */
export function parseBucketList(text: string): BucketEntry[] {
  const buckets = children(root(text, 'ListAllMyBucketsResult'), 'Buckets')[0]
  return (buckets ? children(buckets, 'Bucket') : [])
    .map((bucket) => ({
      name: childText(bucket, 'Name') ?? '',
      region: childText(bucket, 'Location') ?? '',
      creationDate: childText(bucket, 'CreationDate') ?? ''
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Undoes encoding-type=url (percent-encoding; `+` for space as some servers send). */
function decodeKey(value: string, encoded: boolean): string {
  if (!encoded) return value
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'))
  } catch {
    return value
  }
}

/** ListBucketResult → folders, files and the marker of the next page. */
export function parseObjectList(text: string): ObjectPage {
  const result = root(text, 'ListBucketResult')
  const encoded = (childText(result, 'EncodingType') ?? '').toLowerCase() === 'url'
  const files: ObjectEntry[] = children(result, 'Contents').map((item) => ({
    key: decodeKey(childText(item, 'Key') ?? '', encoded),
    size: Number(childText(item, 'Size') ?? 0),
    lastModified: childText(item, 'LastModified') ?? '',
    etag: childText(item, 'ETag') ?? '',
    storageClass: childText(item, 'StorageClass') ?? 'STANDARD'
  }))
  const folders = children(result, 'CommonPrefixes').map((item) => decodeKey(childText(item, 'Prefix') ?? '', encoded))
  const truncated = childText(result, 'IsTruncated') === 'true'
  let nextMarker: string | undefined
  if (truncated) {
    const given = childText(result, 'NextMarker')
    const last = [...files.map((file) => file.key), ...folders].sort().at(-1)
    nextMarker = given ? decodeKey(given, encoded) : last
  }
  return { folders, files, nextMarker }
}
