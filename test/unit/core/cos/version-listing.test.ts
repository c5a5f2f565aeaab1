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

const source: VersionSource<V> = {
  keys(from, inclusive, limit) {
    return Object.keys(DATA)
      .sort(compareKeys)
      .filter((k) => (inclusive ? compareKeys(k, from) >= 0 : compareKeys(k, from) > 0))
      .slice(0, limit)
  },
  versions: (key) => (DATA[key] ?? []).map((versionId) => ({ key, versionId }))
}

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
})
