/**
 * GET Bucket (and ?versions) answers → plain pages, with fast-xml-parser. Pure, so it runs in
 * the listing worker (list-worker.ts) off the page's main thread: a 1000-key page is ~280 KB of
 * XML, and parsing it on the main thread (the SDK's parser, or the browser's DOMParser plus
 * reading the elements) made every page a long task while scrolling a big folder.
 */
import { XMLParser } from 'fast-xml-parser'
import type { ObjectEntry, ObjectPage, VersionEntry, VersionPage } from './types.ts'

export type ListingKind = 'objects' | 'versions'

const REPEATED = new Set(['Contents', 'CommonPrefixes', 'Version', 'DeleteMarker'])

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  // Keys, sizes and ETags stay text exactly as sent (no number guessing, no trimming).
  parseTagValue: false,
  trimValues: false,
  // Numeric character references (&#x41;) as well as XML's five entities.
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name)
})

type Node = Record<string, unknown>

/** Undoes encoding-type=url (percent-encoding; `+` for space as some servers send). */
export function decodeKey(value: unknown): string {
  const text = String(value ?? '')
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'))
  } catch {
    return text
  }
}

function text(node: Node, name: string): string {
  const value = node[name]
  return value === undefined || value === null || typeof value === 'object' ? '' : String(value)
}

function nodes(node: Node, name: string): Node[] {
  const value = node[name]
  return Array.isArray(value) ? (value as Node[]) : []
}

function root(body: string, name: string): Node {
  const parsed = parser.parse(body) as Node
  const top = parsed[name]
  if (!top || typeof top !== 'object') throw new Error(`The answer is not a ${name} document`)
  return top as Node
}

export function parseObjectPage(body: string): ObjectPage {
  const result = root(body, 'ListBucketResult')
  const files: ObjectEntry[] = nodes(result, 'Contents').map((item) => ({
    key: decodeKey(text(item, 'Key')),
    size: Number(text(item, 'Size') || 0),
    lastModified: text(item, 'LastModified'),
    etag: text(item, 'ETag'),
    storageClass: text(item, 'StorageClass') || 'STANDARD'
  }))
  const folders = nodes(result, 'CommonPrefixes').map((item) => decodeKey(text(item, 'Prefix')))
  let nextMarker: string | undefined
  if (text(result, 'IsTruncated') === 'true') {
    const given = text(result, 'NextMarker')
    nextMarker = given ? decodeKey(given) : [...files.map((file) => file.key), ...folders].sort().at(-1)
  }
  return { folders, files, nextMarker }
}

export function parseVersionPage(body: string): VersionPage {
  const result = root(body, 'ListVersionsResult')
  const entry = (item: Node, deleteMarker: boolean): VersionEntry => ({
    key: decodeKey(text(item, 'Key')),
    versionId: text(item, 'VersionId'),
    isLatest: text(item, 'IsLatest') === 'true',
    deleteMarker,
    size: Number(text(item, 'Size') || 0),
    lastModified: text(item, 'LastModified'),
    etag: text(item, 'ETag'),
    storageClass: text(item, 'StorageClass') || (deleteMarker ? '' : 'STANDARD')
  })
  // The parser groups versions and markers apart: key order, newest first per key, puts them back.
  const versions = [
    ...nodes(result, 'Version').map((item) => entry(item, false)),
    ...nodes(result, 'DeleteMarker').map((item) => entry(item, true))
  ]
  versions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : b.lastModified.localeCompare(a.lastModified)))
  const truncated = text(result, 'IsTruncated') === 'true'
  return {
    folders: nodes(result, 'CommonPrefixes').map((item) => decodeKey(text(item, 'Prefix'))),
    versions,
    nextKeyMarker: truncated ? decodeKey(text(result, 'NextKeyMarker')) : undefined,
    nextVersionIdMarker: truncated ? text(result, 'NextVersionIdMarker') : undefined
  }
}

export function parseListing(kind: ListingKind, body: string): ObjectPage | VersionPage {
  return kind === 'objects' ? parseObjectPage(body) : parseVersionPage(body)
}
