import { describe, expect, it } from 'vitest'
import { compareKeys, prefixSuccessor } from '../../../../main/core/cos/key-order.ts'
import { listPage, parseMaxKeys, type ListingSource } from '../../../../main/core/cos/listing.ts'

/** An in-memory sorted source that counts its reads. */
function source(keys: string[]): ListingSource<{ key: string }> & { reads: number; rows: number } {
  const sorted = [...keys].sort(compareKeys).map((key) => ({ key }))
  const src = {
    reads: 0,
    rows: 0,
    read(from: string, inclusive: boolean, limit: number) {
      src.reads++
      const rows = sorted
        .filter((e) => (inclusive ? compareKeys(e.key, from) >= 0 : compareKeys(e.key, from) > 0))
        .slice(0, limit)
      src.rows += rows.length
      return rows
    }
  }
  return src
}

const KEYS = ['a.txt', 'b/1', 'b/2', 'b/3', 'c/x/1', 'c/y', 'd', 'e/']

describe('listPage', () => {
  const cases: Array<{
    name: string
    params: { prefix?: string; delimiter?: string; marker?: string; maxKeys?: number }
    keys: string[]
    prefixes: string[]
    truncated: boolean
    next?: string
  }> = [
    { name: 'everything', params: {}, keys: KEYS, prefixes: [], truncated: false },
    {
      name: 'top level with /',
      params: { delimiter: '/' },
      keys: ['a.txt', 'd'],
      prefixes: ['b/', 'c/', 'e/'],
      truncated: false
    },
    { name: 'prefix', params: { prefix: 'b/' }, keys: ['b/1', 'b/2', 'b/3'], prefixes: [], truncated: false },
    {
      name: 'prefix + delimiter',
      params: { prefix: 'c/', delimiter: '/' },
      keys: ['c/y'],
      prefixes: ['c/x/'],
      truncated: false
    },
    {
      name: 'marker',
      params: { marker: 'b/2' },
      keys: ['b/3', 'c/x/1', 'c/y', 'd', 'e/'],
      prefixes: [],
      truncated: false
    },
    {
      name: 'max-keys truncates',
      params: { maxKeys: 2 },
      keys: ['a.txt', 'b/1'],
      prefixes: [],
      truncated: true,
      next: 'b/1'
    },
    {
      name: 'prefixes count toward max-keys',
      params: { delimiter: '/', maxKeys: 2 },
      keys: ['a.txt'],
      prefixes: ['b/'],
      truncated: true,
      next: 'b/'
    },
    {
      name: 'a common prefix as marker is skipped whole',
      params: { delimiter: '/', marker: 'b/' },
      keys: ['d'],
      prefixes: ['c/', 'e/'],
      truncated: false
    },
    { name: 'max-keys 0', params: { maxKeys: 0 }, keys: [], prefixes: [], truncated: false },
    { name: 'exact max-keys is not truncated', params: { maxKeys: 8 }, keys: KEYS, prefixes: [], truncated: false },
    {
      name: 'marker before prefix',
      params: { prefix: 'c/', marker: 'a' },
      keys: ['c/x/1', 'c/y'],
      prefixes: [],
      truncated: false
    },
    {
      name: 'multi-char delimiter',
      params: { delimiter: 'x/' },
      keys: KEYS.filter((k) => k !== 'c/x/1'),
      prefixes: ['c/x/'],
      truncated: false
    }
  ]
  for (const c of cases) {
    it(c.name, () => {
      const page = listPage(
        {
          prefix: c.params.prefix ?? '',
          delimiter: c.params.delimiter ?? '',
          marker: c.params.marker ?? '',
          maxKeys: c.params.maxKeys ?? 1000
        },
        source(KEYS)
      )
      expect(page.contents.map((e) => e.key)).toEqual(c.keys)
      expect(page.commonPrefixes).toEqual(c.prefixes)
      expect(page.isTruncated).toBe(c.truncated)
      expect(page.nextMarker).toBe(c.next)
    })
  }

  it('pages through everything with NextMarker, with and without delimiter', () => {
    const keys = Array.from({ length: 57 }, (_, i) => `p${i % 5}/k${String(i).padStart(3, '0')}`).concat(['z1', 'z2'])
    for (const delimiter of ['', '/']) {
      const seen: string[] = []
      let marker = ''
      for (let guard = 0; guard < 100; guard++) {
        const page = listPage({ prefix: '', delimiter, marker, maxKeys: 3 }, source(keys))
        seen.push(...page.contents.map((e) => e.key), ...page.commonPrefixes)
        if (!page.isTruncated) break
        marker = page.nextMarker as string
      }
      expect(seen.length).toBe(delimiter ? 7 : 59)
      expect(new Set(seen).size).toBe(seen.length)
    }
  })

  it('seeks past a common prefix instead of scanning it', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `big/${i}`).concat(['after'])
    const src = source(keys)
    const page = listPage({ prefix: '', delimiter: '/', marker: '', maxKeys: 1000 }, src)
    expect(page.commonPrefixes).toEqual(['big/'])
    expect(page.contents.map((e) => e.key)).toEqual(['after'])
    expect(src.reads).toBeLessThanOrEqual(3)
  })

  it('reads about one row per folder on a level of folders, and pages keys after them whole', () => {
    const folders = Array.from({ length: 100 }, (_, i) => `d${String(i).padStart(2, '0')}/`)
    const keys = folders.flatMap((f) => Array.from({ length: 50 }, (_, j) => `${f}k${j}`))
    const files = Array.from({ length: 30 }, (_, i) => `z${String(i).padStart(2, '0')}`)
    const src = source([...keys, ...files])
    const page = listPage({ prefix: '', delimiter: '/', marker: '', maxKeys: 1000 }, src)
    expect(page.commonPrefixes).toEqual(folders)
    expect(page.contents.map((e) => e.key)).toEqual(files)
    // the first read's 8 rows, then one per folder, then the files in growing reads
    expect(src.rows).toBeLessThanOrEqual(8 + 100 + 30)
  })
})

describe('key order', () => {
  it('orders by code point, like UTF-8 bytes', () => {
    expect(compareKeys('\uffff', '\u{1F600}')).toBeLessThan(0)
    expect('\uffff' < '\u{1F600}').toBe(false) // what plain JS comparison would get wrong
    expect(compareKeys('a', 'ab')).toBeLessThan(0)
    expect(compareKeys('b', 'ab')).toBeGreaterThan(0)
    expect(compareKeys('x', 'x')).toBe(0)
  })
  it.each([
    ['a/', 'a0'],
    ['abc', 'abd'],
    ['\ud7ff', '\ue000'],
    ['', undefined]
  ])('successor of %j is %j', (prefix, expected) => {
    expect(prefixSuccessor(prefix)).toBe(expected)
  })
})

describe('parseMaxKeys', () => {
  it.each([
    [null, 1000],
    ['', 1000],
    ['10', 10],
    ['5000', 1000],
    ['-1', undefined],
    ['abc', undefined]
  ])('%j → %j', (value, expected) => {
    expect(parseMaxKeys(value)).toBe(expected)
  })
})
