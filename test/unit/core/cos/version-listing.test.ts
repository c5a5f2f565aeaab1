import { describe, expect, it } from 'vitest'
import { compareKeys } from '../../../../main/core/cos/key-order.ts'
import { listVersionsPage, type VersionSource } from '../../../../main/core/cos/version-listing.ts'

interface V {
  key: string
  versionId: string
}

const DATA: Record<string, string[]> = {
  a: ['a3', 'a2', 'a1'],
  'd/1': ['d1'],
  'd/2': ['d2b', 'd2a'],
  z: ['null']
}

/** The versions in order, read in ranges like the store does (counted). */
function sourceOf(data: Record<string, string[]>): VersionSource<V> & { reads: number } {
  const all = Object.keys(data)
    .sort(compareKeys)
    .flatMap((key) => (data[key] ?? []).map((versionId) => ({ key, versionId })))
  const src = {
    reads: 0,
    entries(from: string, inclusive: boolean, limit: number, end?: string) {
      src.reads++
      return all
        .filter((v) => (inclusive ? compareKeys(v.key, from) >= 0 : compareKeys(v.key, from) > 0))
        .filter((v) => end === undefined || compareKeys(v.key, end) < 0)
        .slice(0, limit)
    },
    versions: (key: string) => (data[key] ?? []).map((versionId) => ({ key, versionId }))
  }
  return src
}

const source = sourceOf(DATA)

function flat(params: Partial<Parameters<typeof listVersionsPage>[0]>) {
  const page = listVersionsPage(
    { prefix: '', delimiter: '', keyMarker: '', versionIdMarker: '', maxKeys: 1000, ...params },
    source
  )
  return {
    items: page.items.map((i) => (i.kind === 'prefix' ? `CP:${i.prefix}` : `${i.version.key}@${i.version.versionId}`)),
    truncated: page.isTruncated,
    next: [page.nextKeyMarker, page.nextVersionIdMarker]
  }
}

describe('listVersionsPage', () => {
  it('lists keys in order, versions newest first', () => {
    expect(flat({}).items).toEqual(['a@a3', 'a@a2', 'a@a1', 'd/1@d1', 'd/2@d2b', 'd/2@d2a', 'z@null'])
  })
  it('rolls up with a delimiter', () => {
    expect(flat({ delimiter: '/' }).items).toEqual(['a@a3', 'a@a2', 'a@a1', 'CP:d/', 'z@null'])
  })
  it('truncates inside a key and resumes after the marker version', () => {
    const first = flat({ maxKeys: 2 })
    expect(first).toEqual({ items: ['a@a3', 'a@a2'], truncated: true, next: ['a', 'a2'] })
    const second = flat({ maxKeys: 2, keyMarker: 'a', versionIdMarker: 'a2' })
    expect(second).toEqual({ items: ['a@a1', 'd/1@d1'], truncated: true, next: ['d/1', 'd1'] })
  })
  it('a key marker alone starts after that key', () => {
    expect(flat({ keyMarker: 'd/1' }).items).toEqual(['d/2@d2b', 'd/2@d2a', 'z@null'])
  })
  it('pages through everything without loss or repeats', () => {
    for (const delimiter of ['', '/']) {
      const seen: string[] = []
      let keyMarker = ''
      let versionIdMarker = ''
      for (let guard = 0; guard < 20; guard++) {
        const page = flat({ maxKeys: 1, delimiter, keyMarker, versionIdMarker })
        seen.push(...page.items)
        if (!page.truncated) break
        ;[keyMarker, versionIdMarker] = page.next as [string, string]
      }
      expect(seen).toEqual(flat({ delimiter }).items)
    }
  })
  it('reads a page in one range read and seeks past common prefixes', () => {
    const data: Record<string, string[]> = { after: ['v1'] }
    for (let i = 0; i < 3000; i++) data[`big/${i}`] = ['v2', 'v1']
    for (let i = 0; i < 600; i++) data[`flat-${String(i).padStart(4, '0')}`] = ['v2', 'v1']
    const flatSource = sourceOf(data)
    const page = listVersionsPage(
      { prefix: 'flat-', delimiter: '', keyMarker: '', versionIdMarker: '', maxKeys: 1000 },
      flatSource
    )
    expect(page.items).toHaveLength(1000)
    expect(page.isTruncated).toBe(true)
    expect([page.nextKeyMarker, page.nextVersionIdMarker]).toEqual(['flat-0499', 'v1'])
    expect(flatSource.reads).toBe(1)
    const rolled = sourceOf(data)
    const top = listVersionsPage(
      { prefix: '', delimiter: '/', keyMarker: '', versionIdMarker: '', maxKeys: 1000 },
      rolled
    )
    expect(top.items.map((i) => (i.kind === 'prefix' ? i.prefix : i.version.key))[0]).toBe('after')
    expect(top.items.filter((i) => i.kind === 'prefix').map((i) => i.prefix)).toEqual(['big/'])
    expect(top.items).toHaveLength(1000)
    expect(top.nextKeyMarker).toBe('flat-0498')
    expect(rolled.reads).toBeLessThanOrEqual(8)
  })
  it('a key with more versions than a read holds is listed whole, in order', () => {
    const many: Record<string, string[]> = {
      a: ['a1'],
      b: Array.from({ length: 30 }, (_, i) => `b${30 - i}`),
      c: ['c1']
    }
    const src = sourceOf(many)
    const seen: string[] = []
    let keyMarker = ''
    let versionIdMarker = ''
    for (let guard = 0; guard < 50; guard++) {
      const page = listVersionsPage({ prefix: '', delimiter: '', keyMarker, versionIdMarker, maxKeys: 7 }, src)
      seen.push(...page.items.map((i) => (i.kind === 'version' ? `${i.version.key}@${i.version.versionId}` : '')))
      if (!page.isTruncated) break
      keyMarker = page.nextKeyMarker
      versionIdMarker = page.nextVersionIdMarker
    }
    expect(seen).toEqual(['a@a1', ...many.b!.map((v) => `b@${v}`), 'c@c1'])
  })
})
