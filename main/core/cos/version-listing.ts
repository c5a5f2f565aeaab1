/**
 * List Object Versions (`GET /?versions`): keys in order, each key's versions newest
 * first, delete markers included, common prefixes rolled up as in List Objects.
 * Paging resumes after (key-marker, version-id-marker); max-keys counts versions, delete
 * markers and common prefixes alike.
 */
import { compareKeys, prefixSuccessor } from './key-order.ts'

export interface VersionEntry {
  key: string
  versionId: string
}

export interface VersionSource<V extends VersionEntry> {
  /** Up to `limit` distinct keys > `from` (>= when `inclusive`), in order. */
  keys(from: string, inclusive: boolean, limit: number): string[]
  /** A key's versions and delete markers, newest first. */
  versions(key: string): V[]
}

export interface VersionListingParams {
  prefix: string
  delimiter: string
  keyMarker: string
  versionIdMarker: string
  maxKeys: number
}

export type VersionItem<V> = { kind: 'version'; version: V } | { kind: 'prefix'; prefix: string }

export interface VersionPage<V> {
  items: VersionItem<V>[]
  isTruncated: boolean
  nextKeyMarker: string
  nextVersionIdMarker: string
}

export function listVersionsPage<V extends VersionEntry>(
  params: VersionListingParams,
  source: VersionSource<V>
): VersionPage<V> {
  const { prefix, delimiter, keyMarker, versionIdMarker, maxKeys } = params
  const page: VersionPage<V> = { items: [], isTruncated: false, nextKeyMarker: '', nextVersionIdMarker: '' }
  if (maxKeys <= 0) return page
  let count = 0
  const full = (): boolean => {
    if (count < maxKeys) return false
    page.isTruncated = true
    const last = page.items[page.items.length - 1]
    if (last?.kind === 'version') {
      page.nextKeyMarker = last.version.key
      page.nextVersionIdMarker = last.version.versionId
    } else if (last) {
      page.nextKeyMarker = last.prefix
    }
    return true
  }

  const afterMarker = keyMarker !== '' && compareKeys(keyMarker, prefix) >= 0
  let cursor = afterMarker ? keyMarker : prefix
  let inclusive = !afterMarker
  // Resume inside the marker key, after the marker version.
  if (afterMarker && versionIdMarker !== '' && keyMarker.startsWith(prefix)) {
    const rest = source.versions(keyMarker)
    const at = rest.findIndex((v) => v.versionId === versionIdMarker)
    if (at >= 0 && !rolledUp(keyMarker, prefix, delimiter)) {
      for (const version of rest.slice(at + 1)) {
        if (full()) return page
        page.items.push({ kind: 'version', version })
        count++
      }
    }
  }

  for (;;) {
    const keys = source.keys(cursor, inclusive, 100)
    if (keys.length === 0) return page
    let seeked = false
    for (const key of keys) {
      if (!key.startsWith(prefix)) return page
      const common = rolledUp(key, prefix, delimiter)
      if (common !== undefined) {
        if (common !== keyMarker) {
          if (full()) return page
          page.items.push({ kind: 'prefix', prefix: common })
          count++
        }
        const next = prefixSuccessor(common)
        if (next === undefined) return page
        cursor = next
        inclusive = true
        seeked = true
        break
      }
      for (const version of source.versions(key)) {
        if (full()) return page
        page.items.push({ kind: 'version', version })
        count++
      }
      cursor = key
      inclusive = false
    }
    if (!seeked && keys.length < 100) return page
  }
}

function rolledUp(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '') return undefined
  const at = key.indexOf(delimiter, prefix.length)
  return at >= 0 ? key.slice(0, at + delimiter.length) : undefined
}
