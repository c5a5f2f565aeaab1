/**
 * The object browser's state: one bucket and prefix, listed a page at a time (marker paging)
 * with '/' as delimiter, the multi-selection, sorting and filtering of the loaded rows, a
 * "show versions" mode, and refetching when the core says keys changed.
 *
 * Pages are appended in place (each row object is built once), so loading page n costs the
 * size of page n, not of everything loaded before it.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity'
import type { CosClient, ObjectEntry, VersionEntry } from '../cos/client.ts'
import { describeError } from '../cos/cos-error.ts'
import { workerCall } from '../worker-call.ts'
import { SEPARATOR, sortOrder, type SortColumn, type SortKeys } from './row-order.ts'
import type { SortAnswer, SortRequest } from './sort-worker.ts'

export type { SortColumn }

export type Row =
  | { kind: 'folder'; key: string; name: string }
  | { kind: 'file'; key: string; name: string; entry: ObjectEntry }
  | { kind: 'version'; key: string; name: string; entry: ObjectEntry; version: VersionEntry }

export interface SortOrder {
  column: SortColumn
  descending: boolean
}

const PAGE_SIZE = 1000
/** An invalidation refetches at most this many pages (the rest is kept until "load more"). */
const MAX_REFETCH_PAGES = 5
const REFRESH_DELAY_MS = 150

function fileRow(prefix: string, entry: ObjectEntry): Row {
  return { kind: 'file', key: entry.key, name: entry.key.slice(prefix.length), entry }
}

function versionRow(prefix: string, version: VersionEntry): Row {
  return {
    kind: 'version',
    key: `${version.key}\u0000${version.versionId}`,
    name: version.key.slice(prefix.length),
    entry: version,
    version
  }
}

/** Up to this many rows sort on the page's thread (a few ms); more go to the sort worker. */
const SORT_HERE_MAX = 5000

const sortWorker = workerCall<Omit<SortRequest, 'id'>, SortAnswer>(
  () => new Worker(new URL('./sort-worker.ts', import.meta.url), { type: 'module' })
)

/** Rows read per task while building a big folder's sort keys. */
const KEY_CHUNK = 20_000

/** The sort keys of `rows`; with `chunked`, KEY_CHUNK rows per task (yielding in between). */
async function sortKeys(rows: Row[], column: SortColumn, chunked = false): Promise<SortKeys> {
  const folder = new Uint8Array(rows.length)
  const names = new Array<string>(rows.length)
  const sizes = column === 'size' ? new Float64Array(rows.length) : undefined
  const texts = column === 'time' || column === 'class' ? new Array<string>(rows.length) : undefined
  for (let from = 0; from < rows.length; from += chunked ? KEY_CHUNK : rows.length) {
    if (from > 0) await new Promise((resolve) => setTimeout(resolve, 0))
    const to = chunked ? Math.min(rows.length, from + KEY_CHUNK) : rows.length
    for (let i = from; i < to; i++) {
      const row = rows[i]!
      names[i] = row.name
      if (row.kind === 'folder') {
        folder[i] = 1
        if (texts) texts[i] = ''
      } else if (sizes) sizes[i] = row.entry.size
      else if (texts) texts[i] = column === 'time' ? row.entry.lastModified : row.entry.storageClass
    }
  }
  return { folder, names: names.join(SEPARATOR), sizes, texts: texts?.join(SEPARATOR) }
}

async function sortInWorker(rows: Row[], sort: SortOrder): Promise<Uint32Array | undefined> {
  const keys = await sortKeys(rows, sort.column, true)
  const transfer = [keys.folder.buffer, ...(keys.sizes ? [keys.sizes.buffer] : [])]
  const answer = await sortWorker.call({ keys, column: sort.column, descending: sort.descending }, transfer)
  return answer?.order
}

/** The rows in sorted order: here for a small folder, in the sort worker for a big one. */
export async function sortRows(rows: Row[], sort: SortOrder): Promise<Row[]> {
  const order =
    (rows.length > SORT_HERE_MAX ? await sortInWorker(rows, sort) : undefined) ??
    sortOrder(await sortKeys(rows, sort.column), sort.column, sort.descending)
  return Array.from(order, (index) => rows[index]!)
}

/** The rows on screen: the (sorted) rows, filtered by name and storage class. */
export function filterRows(rows: Row[], filter: string, storageClass: string): Row[] {
  const needle = filter.trim().toLowerCase()
  if (!needle && !storageClass) return rows
  return rows.filter(
    (row) =>
      (!needle || row.name.toLowerCase().includes(needle)) &&
      (!storageClass || (row.kind !== 'folder' && row.entry.storageClass === storageClass))
  )
}

export class ObjectsStore {
  bucket = $state('')
  prefix = $state('')
  /** Every loaded row, in listing order (folders first). Replaced, never mutated. */
  rows = $state.raw<Row[]>([])
  nextMarker = $state<string | undefined>()
  loading = $state(false)
  error = $state('')
  /** Loading every remaining page (for a full sort): pages loaded so far, or 0. */
  loadingAll = $state(0)
  filter = $state('')
  /** Prefix search: the listing asks COS for keys starting with prefix + search. */
  search = $state('')
  storageClass = $state('')
  sort = $state<SortOrder | undefined>()
  showVersions = $state(false)
  /** The object whose details (and preview) are open, or ''. Part of the URL. */
  current = $state('')
  readonly selected = new SvelteSet<string>()
  /** x-cos-restore of archived objects (HEAD), fetched for the rows on screen. */
  readonly restoreStatus = new SvelteMap<string, string>()

  /** `rows` in the order of `sort` (set together with it once the sort is done). */
  #sorted = $state.raw<Row[] | undefined>()
  /** What the table shows. */
  view = $derived(filterRows((this.sort && this.#sorted) || this.rows, this.filter, this.storageClass))

  #folderRows: Row[] = []
  #fileRows: Row[] = []
  #versionMarker: string | undefined
  #generation = 0
  #pages = 0
  #refreshTimer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly cos: CosClient,
    private readonly pageSize = PAGE_SIZE
  ) {}

  /** Opens a bucket at a prefix and loads the first page. */
  async open(bucket: string, prefix = '', current = ''): Promise<void> {
    if (bucket !== this.bucket) this.showVersions = false
    this.current = current
    this.bucket = bucket
    this.prefix = prefix
    this.selected.clear()
    this.filter = ''
    this.search = ''
    this.restoreStatus.clear()
    this.#reset()
    this.error = ''
    if (bucket) await this.#load(1, true)
  }

  /** Lists keys that start with prefix + text (COS prefix search); '' lists the folder again. */
  async searchPrefix(text: string): Promise<void> {
    this.search = text
    this.selected.clear()
    this.#reset()
    await this.#load(1, true)
  }

  /** Reads x-cos-restore for an archived object once (the row shows restoring / restored until). */
  async loadRestoreStatus(key: string): Promise<void> {
    if (this.restoreStatus.has(key)) return
    this.restoreStatus.set(key, '')
    try {
      this.restoreStatus.set(key, await this.#restoreHeader(key))
    } catch {
      this.restoreStatus.delete(key)
    }
  }

  /**
   * x-cos-restore as the server has it now (a HEAD; the row's status updated too): for a
   * decision that must not read a status a refresh has just cleared or not yet fetched.
   */
  async currentRestoreStatus(key: string, versionId?: string): Promise<string> {
    const restore = await this.#restoreHeader(key, versionId)
    if (versionId === undefined) this.restoreStatus.set(key, restore)
    return restore
  }

  async #restoreHeader(key: string, versionId?: string): Promise<string> {
    const head = await this.cos.headObject(this.bucket, key, versionId)
    return head.headers.find(([name]) => name === 'x-cos-restore')?.[1] ?? ''
  }

  setShowVersions(on: boolean): void {
    this.showVersions = on
    this.selected.clear()
    this.#reset()
    void this.#load(1, true)
  }

  #reset(): void {
    this.#sorted = undefined
    this.#folderRows = []
    this.#fileRows = []
    this.rows = []
    this.nextMarker = undefined
    this.#versionMarker = undefined
    this.#pages = 0
  }

  /** Loads the next page (marker paging). */
  async loadMore(): Promise<void> {
    if (this.nextMarker === undefined || this.loading) return
    await this.#load(1, false)
  }

  /** Loads every remaining page, then the sort applies to the whole folder. */
  async loadAll(): Promise<void> {
    if (this.nextMarker === undefined) return
    this.loadingAll = 1
    try {
      await this.#load(Number.POSITIVE_INFINITY, false, (pages) => (this.loadingAll = pages))
    } finally {
      this.loadingAll = 0
    }
  }

  /**
   * Sorts by a column; a second click on the same column reverses. Loads the rest first; a big
   * folder is sorted in a worker, and the view changes order (and `sort`) when it is done.
   */
  async sortBy(column: SortColumn): Promise<void> {
    const descending = this.sort?.column === column ? !this.sort.descending : false
    if (this.nextMarker !== undefined) {
      await this.loadAll()
      // The last page's rows render first; the sort starts in a task of its own.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    await this.#applySort({ column, descending })
  }

  async #applySort(sort: SortOrder): Promise<void> {
    const rows = this.rows
    const sorted = await sortRows(rows, sort)
    // Rows replaced meanwhile: the load that replaced them sorts them again.
    if (rows !== this.rows) return
    this.#sorted = sorted
    this.sort = sort
  }

  /** Refetches the pages on screen (after an upload, delete or an `objects-changed` push). */
  async refresh(): Promise<void> {
    if (!this.bucket) return
    this.restoreStatus.clear()
    await this.#load(Math.min(Math.max(this.#pages, 1), MAX_REFETCH_PAGES), true)
  }

  /** Schedules a refresh when a change touches keys at this level (push invalidation). */
  invalidate(bucket: string, keys: string[]): void {
    if (bucket !== this.bucket || this.loadingAll) return
    if (keys.length > 0 && !keys.some((key) => key.startsWith(this.prefix))) return
    clearTimeout(this.#refreshTimer)
    this.#refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS)
  }

  async #load(pages: number, replace: boolean, onPage?: (pages: number) => void): Promise<void> {
    const generation = ++this.#generation
    const { bucket, prefix } = this
    const listPrefix = prefix + this.search
    const versions = this.showVersions
    this.loading = true
    try {
      const folderRows: Row[] = replace ? [] : this.#folderRows
      const fileRows: Row[] = replace ? [] : this.#fileRows
      let marker = replace ? undefined : this.nextMarker
      let versionMarker = replace ? undefined : this.#versionMarker
      let loaded = 0
      do {
        if (versions) {
          const page = await this.cos.listVersions(bucket, {
            prefix: listPrefix,
            delimiter: '/',
            keyMarker: marker,
            versionIdMarker: versionMarker,
            maxKeys: this.pageSize
          })
          if (generation !== this.#generation) return
          for (const key of page.folders) folderRows.push({ kind: 'folder', key, name: key.slice(prefix.length) })
          for (const version of page.versions) if (version.key !== prefix) fileRows.push(versionRow(prefix, version))
          marker = page.nextKeyMarker
          versionMarker = page.nextVersionIdMarker
        } else {
          const page = await this.cos.listObjects(bucket, {
            prefix: listPrefix,
            delimiter: '/',
            marker,
            maxKeys: this.pageSize
          })
          if (generation !== this.#generation) return
          for (const key of page.folders) folderRows.push({ kind: 'folder', key, name: key.slice(prefix.length) })
          for (const entry of page.files) if (entry.key !== prefix) fileRows.push(fileRow(prefix, entry))
          marker = page.nextMarker
        }
        loaded++
        onPage?.(loaded)
      } while (marker !== undefined && loaded < pages)
      this.#folderRows = folderRows
      this.#fileRows = fileRows
      this.#versionMarker = versionMarker
      this.rows = folderRows.length === 0 ? fileRows.slice() : folderRows.concat(fileRows)
      if (this.sort) void this.#applySort(this.sort)
      this.nextMarker = marker
      this.#pages = replace ? loaded : this.#pages + loaded
      this.error = ''
      if (replace && this.selected.size > 0) {
        // A local lookup table, not UI state.
        // eslint-disable-next-line svelte/prefer-svelte-reactivity
        const present = new Set(this.rows.map((row) => row.key))
        for (const key of this.selected) if (!present.has(key)) this.selected.delete(key)
      }
    } catch (error) {
      if (generation === this.#generation) this.error = describeError(error)
    } finally {
      if (generation === this.#generation) this.loading = false
    }
  }

  /** Every key under a folder prefix (no delimiter), for deleting, copying or zipping a folder. */
  async keysUnder(prefix: string, bucket = this.bucket): Promise<ObjectEntry[]> {
    const entries: ObjectEntry[] = []
    let marker: string | undefined
    do {
      const page = await this.cos.listObjects(bucket, { prefix, marker })
      entries.push(...page.files)
      marker = page.nextMarker
    } while (marker !== undefined)
    return entries
  }

  toggle(key: string, on = !this.selected.has(key)): void {
    if (on) this.selected.add(key)
    else this.selected.delete(key)
  }

  selectAll(on: boolean): void {
    this.selected.clear()
    if (on) for (const row of this.view) this.selected.add(row.key)
  }

  rowOf(key: string): Row | undefined {
    return this.rows.find((row) => row.key === key)
  }

  dispose(): void {
    clearTimeout(this.#refreshTimer)
  }
}
