/**
 * The event history pane's state: a filtered window of the server's durable event history
 * (newest first, paged by seq), with live rows from the push channel merged in once per
 * animation frame so 1,000 events/s cost one render per frame, and a bounded row count.
 */
import type {
  EventStatusFilter,
  HistoryEvent,
  HistoryPage,
  HistoryQuery
} from '../../../../preload/contract/history.ts'
import { api } from '../api.ts'
import { describeError } from '../cos/cos-error.ts'
import { frameBatch } from '../frame-batch.ts'
import { LiveDuringFetch } from '../live-during-fetch.ts'

/** Rows kept in memory; older ones are paged back in when scrolled to. */
export const MAX_ROWS = 5000
const PAGE = 200

export interface HistoryFilterState {
  bucket: string
  prefix: string
  type: string
  fn: string
  statuses: EventStatusFilter[]
  search: string
  showUnmatched: boolean
}

export function emptyFilter(): HistoryFilterState {
  return { bucket: '', prefix: '', type: '', fn: '', statuses: [], search: '', showUnmatched: false }
}

/** Does a row pass the filter? (The server applies the same rules in SQL.) */
export function rowMatches(row: HistoryEvent, filter: HistoryFilterState): boolean {
  if (filter.bucket && row.bucket !== filter.bucket) return false
  if (filter.prefix && !row.key.startsWith(filter.prefix)) return false
  if (filter.type) {
    if (filter.type.endsWith(':*') ? !row.name.startsWith(filter.type.slice(0, -1)) : row.name !== filter.type)
      return false
  }
  if (filter.fn && !row.functions.includes(filter.fn)) return false
  const q = filter.search.trim()
  if (q && !row.key.includes(q) && row.requestId !== q && !row.invocations.some((id) => id.includes(q))) return false
  if (filter.statuses.length === 0) return filter.showUnmatched || row.status !== 'unmatched'
  return filter.statuses.some((status) => (status === 'matched' ? row.status !== 'unmatched' : status === row.status))
}

export class HistoryStore {
  filter = $state<HistoryFilterState>(emptyFilter())
  /** Replaced (not mutated) on every change: the list renders from a plain array. */
  rows = $state.raw<HistoryEvent[]>([])
  total = $state(0)
  /** Rows that arrived live since the Events tab was last open (its tab shows a dot). */
  unseen = $state(0)
  hiddenUnmatched = $state(0)
  stored = $state(0)
  retention = $state(100_000)
  nextBefore = $state<number | null>(null)
  loading = $state(false)
  error = $state('')
  selected = $state<number | null>(null)
  /** Rows added above the first row by the last live merge (the list keeps its scroll position with it). */
  prependedAt = $state({ count: 0, stamp: 0 })
  /** Live rows received and not yet rendered (for the lag measurement). */
  lastMergedAt = 0

  // Plumbing, not UI state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Map<number, HistoryEvent>()
  readonly #scheduleMerge = frameBatch(() => this.#merge())
  #generation = 0
  /** Live rows received while a page is on its way go over its answer (see live-during-fetch.ts). */
  #live = new LiveDuringFetch<number, HistoryEvent>()

  params(before?: number): HistoryQuery {
    const f = this.filter
    return {
      bucket: f.bucket || undefined,
      prefix: f.prefix || undefined,
      type: f.type || undefined,
      function: f.fn || undefined,
      status: f.statuses.length ? f.statuses.join(',') : undefined,
      q: f.search.trim() || undefined,
      unmatched: f.showUnmatched ? '1' : undefined,
      before,
      limit: PAGE
    }
  }

  /** (Re)load the first page for the current filter. */
  async load(): Promise<void> {
    const generation = ++this.#generation
    this.loading = true
    try {
      const params = this.params()
      const { answer: page, live } = await this.#live.fetch(() => api.history(params))
      if (generation !== this.#generation) return
      // what was received before the request went out is in the page already
      this.#pending.clear()
      this.rows = page.events
      this.#counts(page)
      this.error = ''
      for (const row of live) this.receive(row)
    } catch (failure) {
      if (generation === this.#generation) this.error = describeError(failure)
    } finally {
      if (generation === this.#generation) this.loading = false
    }
  }

  async loadMore(): Promise<void> {
    if (this.loading || this.nextBefore === null) return
    const generation = this.#generation
    this.loading = true
    try {
      const params = this.params(this.nextBefore)
      const { answer: page, live } = await this.#live.fetch(() => api.history(params))
      if (generation !== this.#generation) return
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const known = new Set(this.rows.map((row) => row.seq))
      this.rows = [...this.rows, ...page.events.filter((row) => !known.has(row.seq))]
      this.nextBefore = page.nextBefore
      for (const row of live) this.receive(row)
    } catch (failure) {
      this.error = describeError(failure)
    } finally {
      this.loading = false
    }
  }

  #counts(page: HistoryPage): void {
    this.total = page.total
    this.hiddenUnmatched = page.hiddenUnmatched
    this.stored = page.stored
    this.retention = page.retention
    this.nextBefore = page.nextBefore
  }

  /** A live row (new or updated); merged on the next animation frame. */
  receive(row: HistoryEvent): void {
    this.#live.note(row.seq, row)
    const queued = this.#pending.get(row.seq)
    // a status update may arrive before the row it updates is merged: keep the newest state
    this.#pending.set(row.seq, queued && queued.attempts > row.attempts ? queued : row)
    this.#scheduleMerge()
  }

  #merge(): void {
    if (this.#pending.size === 0) return
    const incoming = [...this.#pending.values()].sort((a, b) => b.seq - a.seq)
    this.#pending.clear()
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const index = new Map(this.rows.map((row, i) => [row.seq, i]))
    const newest = this.rows[0]?.seq ?? 0
    let rows: HistoryEvent[] | undefined
    const added: HistoryEvent[] = []
    let newMatching = 0
    let newHidden = 0
    let newStored = 0
    for (const row of incoming) {
      const at = index.get(row.seq)
      const matches = rowMatches(row, this.filter)
      if (at !== undefined) {
        rows ??= [...this.rows]
        rows[at] = row
        continue
      }
      if (row.seq <= newest) continue // an update of a row outside the window
      if (row.attempts === 0 && (row.status === 'in-flight' || row.status === 'unmatched')) newStored++
      if (matches) {
        added.push(row)
        newMatching++
      } else if (row.status === 'unmatched' && !this.filter.showUnmatched && this.filter.statuses.length === 0) {
        if (rowMatches({ ...row, status: 'in-flight' }, this.filter)) newHidden++
      }
    }
    if (added.length > 0 || rows) {
      let next = [...added, ...(rows ?? this.rows)]
      if (next.length > MAX_ROWS) {
        next = next.slice(0, MAX_ROWS)
        this.nextBefore = next.at(-1)!.seq
      }
      this.rows = next
    }
    if (added.length > 0) this.prependedAt = { count: added.length, stamp: this.prependedAt.stamp + 1 }
    this.total += newMatching
    this.unseen += newMatching
    this.hiddenUnmatched += newHidden
    this.stored = Math.min(this.stored + newStored, this.retention)
    this.lastMergedAt = performance.now()
  }

  clearFilter(): void {
    this.filter = emptyFilter()
    void this.load()
  }
}
