/**
 * The object browser's state: one bucket and prefix, listed a page at a time (marker paging)
 * with '/' as delimiter, the multi-selection, and refetching when the core says keys changed.
 */
import { SvelteSet } from 'svelte/reactivity'
import type { CosClient, ObjectEntry } from '../cos-client.ts'
import { describeError } from '../cos/cos-error.ts'

export type Row =
  { kind: 'folder'; key: string; name: string } | { kind: 'file'; key: string; name: string; entry: ObjectEntry }

const PAGE_SIZE = 1000
/** An invalidation refetches at most this many pages (the rest is kept until "load more"). */
const MAX_REFETCH_PAGES = 5
const REFRESH_DELAY_MS = 150

export class ObjectsStore {
  bucket = $state('')
  prefix = $state('')
  folders = $state<string[]>([])
  files = $state<ObjectEntry[]>([])
  nextMarker = $state<string | undefined>()
  loading = $state(false)
  error = $state('')
  readonly selected = new SvelteSet<string>()

  /** Folders first, then files, as names relative to the prefix. */
  rows = $derived<Row[]>([
    ...this.folders.map((key): Row => ({ kind: 'folder', key, name: key.slice(this.prefix.length) })),
    ...this.files
      .filter((entry) => entry.key !== this.prefix)
      .map((entry): Row => ({ kind: 'file', key: entry.key, name: entry.key.slice(this.prefix.length), entry }))
  ])

  #generation = 0
  #pages = 0
  #refreshTimer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly cos: CosClient,
    private readonly pageSize = PAGE_SIZE
  ) {}

  /** Opens a bucket at a prefix and loads the first page. */
  async open(bucket: string, prefix = ''): Promise<void> {
    this.bucket = bucket
    this.prefix = prefix
    this.selected.clear()
    this.folders = []
    this.files = []
    this.nextMarker = undefined
    this.#pages = 0
    this.error = ''
    if (bucket) await this.#load(1, true)
  }

  /** Loads the next page (marker paging). */
  async loadMore(): Promise<void> {
    if (this.nextMarker === undefined || this.loading) return
    await this.#load(1, false)
  }

  /** Refetches the pages on screen (after an upload, delete or an `objects-changed` push). */
  async refresh(): Promise<void> {
    if (!this.bucket) return
    await this.#load(Math.min(Math.max(this.#pages, 1), MAX_REFETCH_PAGES), true)
  }

  /** Schedules a refresh when a change touches keys at this level (push invalidation). */
  invalidate(bucket: string, keys: string[]): void {
    if (bucket !== this.bucket) return
    if (keys.length > 0 && !keys.some((key) => key.startsWith(this.prefix))) return
    clearTimeout(this.#refreshTimer)
    this.#refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS)
  }

  async #load(pages: number, replace: boolean): Promise<void> {
    const generation = ++this.#generation
    const { bucket, prefix } = this
    this.loading = true
    try {
      const folders: string[] = replace ? [] : [...this.folders]
      const files: ObjectEntry[] = replace ? [] : [...this.files]
      let marker = replace ? undefined : this.nextMarker
      let loaded = 0
      do {
        const page = await this.cos.listObjects(bucket, { prefix, delimiter: '/', marker, maxKeys: this.pageSize })
        if (generation !== this.#generation) return
        folders.push(...page.folders)
        files.push(...page.files)
        marker = page.nextMarker
        loaded++
      } while (marker !== undefined && loaded < pages)
      this.folders = folders
      this.files = files
      this.nextMarker = marker
      this.#pages = replace ? loaded : this.#pages + loaded
      this.error = ''
      // A local lookup table, not UI state.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const present = new Set([...folders, ...files.map((file) => file.key)])
      for (const key of this.selected) if (!present.has(key)) this.selected.delete(key)
    } catch (error) {
      if (generation === this.#generation) this.error = describeError(error)
    } finally {
      if (generation === this.#generation) this.loading = false
    }
  }

  /** Every key under a folder prefix (no delimiter), for deleting a folder with its contents. */
  async keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = []
    let marker: string | undefined
    do {
      const page = await this.cos.listObjects(this.bucket, { prefix, marker })
      keys.push(...page.files.map((file) => file.key))
      marker = page.nextMarker
    } while (marker !== undefined)
    if (!keys.includes(prefix)) keys.push(prefix)
    return keys
  }

  toggle(key: string, on = !this.selected.has(key)): void {
    if (on) this.selected.add(key)
    else this.selected.delete(key)
  }

  selectAll(on: boolean): void {
    this.selected.clear()
    if (on) for (const row of this.rows) this.selected.add(row.key)
  }

  dispose(): void {
    clearTimeout(this.#refreshTimer)
  }
}
