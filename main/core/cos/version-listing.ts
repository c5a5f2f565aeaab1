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
  /**
   * Up to `limit` versions and delete markers of keys > `from` (>= when `inclusive`) and, when
   * `end` is given, < `end`: keys in order, each key's versions newest first. One range read
   * for a whole page; a key's versions may be cut off at the limit.
   */
  entries(from: string, inclusive: boolean, limit: number, end?: string): V[]
  /** A key's versions and delete markers, newest first. */
  versions(key: string): V[]
}

/** Rows per read at most (plus one): a page of max-keys 1000 is one read. */
const MAX_BATCH = 1000
/** After a seek past a common prefix, read a few rows first: the next may roll up too. */
const SEEK_BATCH = 8

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

  const needed = (): number => Math.min(maxKeys - count, MAX_BATCH) + 1
  const end = prefix === '' ? undefined : prefixSuccessor(prefix)
  let batch = delimiter === '' ? needed() : Math.min(SEEK_BATCH, needed())
  for (;;) {
    const rows = source.entries(cursor, inclusive, batch, end)
    const cut = rows.length === batch // the last key's versions may go on past this read
    let next: 'done' | 'grow' | 'seek' | 'resume' = cut ? 'grow' : 'done'
    for (let i = 0; i < rows.length;) {
      const key = rows[i]!.key
      let j = i + 1
      while (j < rows.length && rows[j]!.key === key) j++
      if (!key.startsWith(prefix)) return page
      const common = rolledUp(key, prefix, delimiter)
      if (common !== undefined) {
        if (common !== keyMarker) {
          if (full()) return page
          page.items.push({ kind: 'prefix', prefix: common })
          count++
        }
        const after = prefixSuccessor(common)
        if (after === undefined) return page
        cursor = after
        inclusive = true
        next = 'seek'
        break
      }
      let versions = rows.slice(i, j)
      if (cut && j === rows.length) {
        // Read this key again from its start: in the next read (others came first) or whole.
        if (i > 0) {
          if (full()) return page
          cursor = key
          inclusive = true
          next = 'resume'
          break
        }
        versions = source.versions(key)
      }
      for (const version of versions) {
        if (full()) return page
        page.items.push({ kind: 'version', version })
        count++
      }
      cursor = key
      inclusive = false
      i = j
    }
    if (next === 'done') return page
    batch =
      next === 'seek' ? Math.min(SEEK_BATCH, needed()) : next === 'grow' ? Math.min(batch * 4, needed()) : needed()
  }
}

function rolledUp(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '') return undefined
  const at = key.indexOf(delimiter, prefix.length)
  return at >= 0 ? key.slice(0, at + delimiter.length) : undefined
}
