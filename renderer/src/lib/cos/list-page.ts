/**
 * GET Bucket (and ?versions) answers → plain pages, from any XML reader that can give an
 * element's children by name and their text: the listing worker reads with fast-xml-parser
 * (list-parse.ts), the page's own thread with the browser's DOMParser (list-dom.ts).
 */
import type { ObjectEntry, ObjectPage, VersionEntry, VersionPage } from './types.ts'

export type ListingKind = 'objects' | 'versions'

/** An element of a listing document, as a reader sees it. */
export interface ListingNode {
  /** The text of the first child element called `name`; '' when there is none. */
  text(name: string): string
  /** Every child element called `name`, in document order. */
  all(name: string): ListingNode[]
}

/** Undoes encoding-type=url (percent-encoding; `+` for space as some servers send). */
export function decodeKey(value: unknown): string {
  const text = String(value ?? '')
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'))
  } catch {
    return text
  }
}

export function objectPage(result: ListingNode): ObjectPage {
  const files: ObjectEntry[] = result.all('Contents').map((item) => ({
    key: decodeKey(item.text('Key')),
    size: Number(item.text('Size') || 0),
    lastModified: item.text('LastModified'),
    etag: item.text('ETag'),
    storageClass: item.text('StorageClass') || 'STANDARD'
  }))
  const folders = result.all('CommonPrefixes').map((item) => decodeKey(item.text('Prefix')))
  let nextMarker: string | undefined
  if (result.text('IsTruncated') === 'true') {
    const given = result.text('NextMarker')
    nextMarker = given ? decodeKey(given) : [...files.map((file) => file.key), ...folders].sort().at(-1)
  }
  return { folders, files, nextMarker }
}

export function versionPage(result: ListingNode): VersionPage {
  const entry = (item: ListingNode, deleteMarker: boolean): VersionEntry => ({
    key: decodeKey(item.text('Key')),
    versionId: item.text('VersionId'),
    isLatest: item.text('IsLatest') === 'true',
    deleteMarker,
    size: Number(item.text('Size') || 0),
    lastModified: item.text('LastModified'),
    etag: item.text('ETag'),
    storageClass: item.text('StorageClass') || (deleteMarker ? '' : 'STANDARD')
  })
  // Readers group versions and markers apart: key order, newest first per key, puts them back
  // (the latest first when two share a time: a delete marker made in the same second as the
  // version it hides).
  const versions = [
    ...result.all('Version').map((item) => entry(item, false)),
    ...result.all('DeleteMarker').map((item) => entry(item, true))
  ]
  versions.sort((a, b) =>
    a.key < b.key
      ? -1
      : a.key > b.key
        ? 1
        : b.lastModified.localeCompare(a.lastModified) || Number(b.isLatest) - Number(a.isLatest)
  )
  const truncated = result.text('IsTruncated') === 'true'
  return {
    folders: result.all('CommonPrefixes').map((item) => decodeKey(item.text('Prefix'))),
    versions,
    nextKeyMarker: truncated ? decodeKey(result.text('NextKeyMarker')) : undefined,
    nextVersionIdMarker: truncated ? result.text('NextVersionIdMarker') : undefined
  }
}

/** The root element a listing of `kind` has. */
export const ROOT: Record<ListingKind, string> = { objects: 'ListBucketResult', versions: 'ListVersionsResult' }
