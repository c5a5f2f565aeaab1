import { describe, expect, it } from 'vitest'
import { SEPARATOR, sortOrder, type SortKeys } from '../../../renderer/src/lib/stores/row-order.ts'

// rows: two folders, then files with sizes, times and classes
const rows = [
  { name: 'b/', folder: 1, size: 0, time: '', cls: '' },
  { name: 'file10.txt', folder: 0, size: 5, time: '2026-01-03T00:00:00.000Z', cls: 'STANDARD' },
  { name: 'a/', folder: 1, size: 0, time: '', cls: '' },
  { name: 'file2.txt', folder: 0, size: 5, time: '2026-01-01T00:00:00.000Z', cls: 'ARCHIVE' },
  { name: 'big.bin', folder: 0, size: 900, time: '2026-01-02T00:00:00.000Z', cls: 'STANDARD_IA' }
]

function keys(column: 'size' | 'time' | 'class' | 'name'): SortKeys {
  return {
    folder: Uint8Array.from(rows.map((row) => row.folder)),
    names: rows.map((row) => row.name).join(SEPARATOR),
    sizes: column === 'size' ? Float64Array.from(rows.map((row) => row.size)) : undefined,
    texts:
      column === 'time' || column === 'class'
        ? rows.map((row) => (column === 'time' ? row.time : row.cls)).join(SEPARATOR)
        : undefined
  }
}

const names = (order: Uint32Array): string[] => Array.from(order, (index) => rows[index]!.name)

describe('sort order of a folder (computed in the sort worker for big folders)', () => {
  it('by name: folders first, numbers in names compare as numbers', () => {
    expect(names(sortOrder(keys('name'), 'name', false))).toEqual(['a/', 'b/', 'big.bin', 'file2.txt', 'file10.txt'])
    expect(names(sortOrder(keys('name'), 'name', true))).toEqual(['a/', 'b/', 'file10.txt', 'file2.txt', 'big.bin'])
  })

  it('by size, ties by name; descending reverses the files only', () => {
    expect(names(sortOrder(keys('size'), 'size', false))).toEqual(['a/', 'b/', 'file2.txt', 'file10.txt', 'big.bin'])
    expect(names(sortOrder(keys('size'), 'size', true))).toEqual(['a/', 'b/', 'big.bin', 'file10.txt', 'file2.txt'])
  })

  it('by time and by storage class', () => {
    expect(names(sortOrder(keys('time'), 'time', false))).toEqual(['a/', 'b/', 'file2.txt', 'big.bin', 'file10.txt'])
    expect(names(sortOrder(keys('class'), 'class', false))).toEqual(['a/', 'b/', 'file2.txt', 'file10.txt', 'big.bin'])
  })
})
