/** What the COS adapter returns: plain data, ready to render as text. */

export interface BucketEntry {
  name: string
  region: string
  creationDate: string
}

export interface ObjectEntry {
  key: string
  size: number
  lastModified: string
  etag: string
  storageClass: string
}

export interface ObjectPage {
  /** Folder prefixes (CommonPrefixes), full keys ending in the delimiter. */
  folders: string[]
  files: ObjectEntry[]
  /** Marker for the next page when the listing is truncated. */
  nextMarker?: string
}

export interface ListOptions {
  prefix?: string
  delimiter?: string
  marker?: string
  maxKeys?: number
}

/** One entry of GET Bucket ?versions: a version or a delete marker. */
export interface VersionEntry {
  key: string
  versionId: string
  isLatest: boolean
  deleteMarker: boolean
  size: number
  lastModified: string
  etag: string
  storageClass: string
}

export interface VersionPage {
  folders: string[]
  versions: VersionEntry[]
  nextKeyMarker?: string
  nextVersionIdMarker?: string
}

export interface DeleteTarget {
  key: string
  versionId?: string
}

export interface DeleteOutcome {
  deleted: string[]
  errors: { key: string; code: string; message: string }[]
}

export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk'

export type VersioningStatus = 'Enabled' | 'Suspended' | ''

export interface ObjectHead {
  status: number
  /** Every response header the browser may read, as [name, value] pairs. */
  headers: [string, string][]
}

export interface Tag {
  key: string
  value: string
}

/** Reports bytes sent so far; total is the file size. */
export type ProgressListener = (loaded: number, total: number) => void
