/**
 * Thumbnails of the grid layout: which objects get one (images up to a size cap that can be
 * read now) and their pre-signed GET URLs, signed once per object version and reused while
 * they stay valid. The browser fetches and decodes the image itself (<img loading="lazy">).
 */
import type { CosClient } from '../../lib/cos/client.ts'
import type { Row } from '../../lib/stores/objects.svelte.ts'
import { isArchived } from './archive.ts'
import { previewKind } from './preview-kind.ts'

/** Images larger than this show the type icon: decoding them for a 96 px cell is not worth it. */
export const THUMBNAIL_MAX_BYTES = 20 * 1024 * 1024
/** Signed URLs live an hour; one is reused for 50 minutes. */
const URL_LIFETIME_S = 3600
const REUSE_MS = 50 * 60 * 1000
/** Signed URLs kept (the oldest are dropped first). */
const CACHE_LIMIT = 2000

/** Why a row shows an icon instead of a thumbnail, or '' when it gets one. */
export function thumbnailBlock(row: Row): '' | 'not-image' | 'too-big' | 'archived' | 'empty' {
  if (row.kind === 'folder') return 'not-image'
  if (row.kind === 'version' && row.version.deleteMarker) return 'not-image'
  if (previewKind(row.entry.key) !== 'image') return 'not-image'
  if (row.entry.size === 0) return 'empty'
  if (row.entry.size > THUMBNAIL_MAX_BYTES) return 'too-big'
  if (isArchived(row.entry.storageClass)) return 'archived'
  return ''
}

interface Signed {
  url: Promise<string>
  /** The URL once signed, so a cell scrolled back into view shows it at once. */
  ready?: string
  at: number
}

const cache = new Map<string, Signed>()

/** Identifies an object version's image (a changed ETag is a new image). */
export function thumbnailId(cos: CosClient, bucket: string, row: Row): string {
  if (row.kind === 'folder') return ''
  const versionId = row.kind === 'version' ? row.version.versionId : ''
  return `${cos.endpoint}\u0000${bucket}\u0000${row.entry.key}\u0000${versionId}\u0000${row.entry.etag}`
}

function fresh(id: string): Signed | undefined {
  const hit = cache.get(id)
  return hit && Date.now() - hit.at < REUSE_MS ? hit : undefined
}

/** The signed URL already at hand for this image, if any. */
export function readyThumbnailUrl(id: string): string | undefined {
  return fresh(id)?.ready
}

/** The pre-signed GET URL of a row's image, from the cache while it is still good. */
export function thumbnailUrl(cos: CosClient, bucket: string, row: Row): Promise<string> {
  if (row.kind === 'folder') return Promise.reject(new Error('a folder has no thumbnail'))
  const id = thumbnailId(cos, bucket, row)
  const hit = fresh(id)
  if (hit) return hit.url
  const versionId = row.kind === 'version' ? row.version.versionId : undefined
  const signed: Signed = {
    url: cos.presignedUrl(bucket, row.entry.key, { versionId, expires: URL_LIFETIME_S }),
    at: Date.now()
  }
  cache.delete(id)
  cache.set(id, signed)
  signed.url.then(
    (url) => (signed.ready = url),
    () => cache.delete(id)
  )
  while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!)
  return signed.url
}
