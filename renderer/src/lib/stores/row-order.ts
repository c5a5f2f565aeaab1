/**
 * The order of a sorted folder, from plain sort keys (no row objects), so a big folder is
 * sorted in a worker (sort-worker.ts): sorting 100k rows with the locale's collator took one
 * 160–360 ms task on the page's thread. Folders stay first, by name, whichever way the files go.
 */
export type SortColumn = 'name' | 'size' | 'time' | 'class'

/**
 * What a sort needs, in a form that crosses to a worker cheaply: texts are joined with NUL
 * (which no listed key contains: XML cannot carry it), so 100k names are one string to copy
 * rather than 100k strings to serialize one by one.
 */
export interface SortKeys {
  /** 1 for a folder row. */
  folder: Uint8Array
  /** The rows' names, NUL-joined. */
  names: string
  /** Sizes, for a sort by size. */
  sizes?: Float64Array
  /** Last-modified times (ISO text) or storage classes, NUL-joined, for those sorts. */
  texts?: string
}

export const SEPARATOR = '\u0000'

/** Row indexes in display order. */
export function sortOrder(keys: SortKeys, column: SortColumn, descending: boolean): Uint32Array {
  const { folder, sizes } = keys
  const names = keys.names.split(SEPARATOR)
  const texts = keys.texts?.split(SEPARATOR) ?? []
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
  const byName = (a: number, b: number): number => collator.compare(names[a]!, names[b]!)
  const byColumn = (a: number, b: number): number => {
    let diff = 0
    if (column === 'size' && sizes) diff = sizes[a]! - sizes[b]!
    else if (column === 'time') diff = texts[a]! < texts[b]! ? -1 : texts[a]! > texts[b]! ? 1 : 0
    else if (column === 'class') diff = texts[a]!.localeCompare(texts[b]!)
    return diff || byName(a, b)
  }
  const folders: number[] = []
  const files: number[] = []
  for (let i = 0; i < folder.length; i++) (folder[i] ? folders : files).push(i)
  folders.sort(byName)
  files.sort(descending ? (a, b) => byColumn(b, a) : byColumn)
  const order = new Uint32Array(folder.length)
  order.set(folders)
  order.set(files, folders.length)
  return order
}
