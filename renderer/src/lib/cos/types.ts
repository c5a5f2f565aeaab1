/** What the COS client returns: plain data, ready to render as text. */

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

export interface DeleteOutcome {
  deleted: string[]
  errors: { key: string; code: string; message: string }[]
}

export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk'

/** Reports bytes sent so far; total is the file size. */
export type ProgressListener = (loaded: number, total: number) => void
