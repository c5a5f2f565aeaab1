/**
 * The event history: every object event the bus consumed (matched or not), newest
 * HISTORY_RETENTION kept, each with a status summarising its deliveries (kept on the row,
 * so it outlives the per-function invocation retention). Paged newest first by seq, with
 * filters; the counts say how many unmatched events the default view hides. The table and
 * its migrations belong to recent-events.ts.
 */
import {
  HISTORY_RETENTION,
  aggregateStatus,
  type EventStatus,
  type EventStatusFilter
} from '../core/events/event-history.ts'
import type { MatchExplanation } from '../core/events/matching.ts'
import type { InvocationStatus } from '../core/functions/invocation-state.ts'
import type { Db } from './db.ts'
import type { HistoryRow } from './recent-events.ts'

export interface HistoryFilter {
  bucket?: string
  prefix?: string
  /** A concrete name, or a `cos:ObjectCreated:*` style group. */
  eventType?: string
  functionName?: string
  /** Any of these (OR); empty = every status but unmatched unless includeUnmatched. */
  statuses?: EventStatusFilter[]
  /** Substring of the key, or a COS / SCF request id. */
  search?: string
  includeUnmatched?: boolean
}

export type { HistoryRow }

export interface HistoryPage {
  events: HistoryRow[]
  /** Pass as `beforeSeq` for the next (older) page; null at the end. */
  nextBefore: number | null
  /** Events matching the filter (all statuses the filter allows). */
  total: number
  /** Unmatched events the filter hides (0 when they are shown). */
  hiddenUnmatched: number
  stored: number
  retention: number
}

interface Row {
  seq: number
  time: number
  name: string
  bucket: string
  region: string
  object_key: string
  request_id: string
  status: string
  functions: string
  invocations: string
  attempts: number
  last_error: string | null
}

/** What an event's summary is made of, per delivery. */
interface Delivery {
  function_name: string
  status: InvocationStatus
  attempts: number
  message: string | null
}

const SELECT = `SELECT seq, time, name, bucket, region, object_key, request_id, status, functions, invocations, attempts, last_error
  FROM recent_events`

export class EventHistory {
  readonly #db: Db
  readonly #statuses
  readonly #update
  readonly #set
  readonly #get
  readonly #beforeRead: () => void

  /**
   * `beforeRead`: runs before every read (writes the rows RecentEvents deferred). The summaries'
   * updates skip it: they concern events with deliveries, whose rows are never deferred.
   */
  constructor(db: Db, beforeRead: () => void = () => undefined) {
    this.#db = db
    this.#beforeRead = beforeRead
    this.#statuses = db.prepare(
      `SELECT function_name, status, attempts, message FROM invocations WHERE event_seq = ? ORDER BY created_at, rowid`
    )
    // The summary is written and the row read back in one statement (it runs after every status change).
    this.#update = db.prepare(
      `UPDATE recent_events SET status = ?, attempts = ?, last_error = ? WHERE seq = ?
       RETURNING seq, time, name, bucket, region, object_key, request_id, status, functions, invocations, attempts, last_error`
    )
    this.#set = db.prepare('UPDATE recent_events SET status = ?, attempts = ?, last_error = ? WHERE seq = ?')
    this.#get = db.prepare(`${SELECT} WHERE seq = ?`)
  }

  /** Recompute an event's summary from its deliveries (the newest delivery per function counts). */
  refresh(seq: number): HistoryRow | undefined {
    const rows = this.#statuses.all(seq) as Delivery[]
    return rows.length === 0 ? undefined : this.#write(seq, rows)
  }

  /**
   * The summary of an event whose only delivery is `delivery` (as it stands in the database),
   * its row otherwise as `recorded` (as the fan-out recorded it): what `refresh` would compute
   * and return, without reading the delivery or the row back.
   */
  refreshSole(recorded: HistoryRow, delivery: Delivery): HistoryRow | undefined {
    const summary = summarize([delivery])
    const changed = this.#set.run(summary.status, summary.attempts, summary.lastError, recorded.seq).changes
    if (Number(changed) === 0) return undefined
    // written out: a spread followed by more properties builds a new hidden class per call (Node 20)
    return {
      seq: recorded.seq,
      time: recorded.time,
      name: recorded.name,
      bucket: recorded.bucket,
      region: recorded.region,
      key: recorded.key,
      requestId: recorded.requestId,
      status: summary.status,
      functions: recorded.functions,
      invocations: recorded.invocations,
      attempts: summary.attempts,
      lastError: summary.lastError
    }
  }

  #write(seq: number, deliveries: Delivery[]): HistoryRow | undefined {
    const summary = summarize(deliveries)
    const row = this.#update.get(summary.status, summary.attempts, summary.lastError, seq) as Row | undefined
    return row ? toRow(row) : undefined
  }

  get(seq: number): HistoryRow | undefined {
    this.#beforeRead()
    const row = this.#get.get(seq) as Row | undefined
    return row ? toRow(row) : undefined
  }

  /** Events of a COS request id or an object key, oldest first (for the timeline). */
  find(query: { requestId?: string; bucket?: string; key?: string; limit?: number }): HistoryRow[] {
    this.#beforeRead()
    const where: string[] = []
    const args: string[] = []
    if (query.requestId) {
      where.push('request_id = ?')
      args.push(query.requestId)
    }
    if (query.bucket) {
      where.push('bucket = ?')
      args.push(query.bucket)
    }
    if (query.key !== undefined) {
      where.push('object_key = ?')
      args.push(query.key)
    }
    if (where.length === 0) return []
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500)
    const rows = this.#db
      .prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${limit}`)
      .all(...args) as Row[]
    return rows.map(toRow).reverse()
  }

  explanations(seq: number): MatchExplanation[] {
    this.#beforeRead()
    const row = this.#db.prepare('SELECT explanations FROM recent_events WHERE seq = ?').get(seq) as
      { explanations: string } | undefined
    return row ? (JSON.parse(row.explanations) as MatchExplanation[]) : []
  }

  page(filter: HistoryFilter, options: { beforeSeq?: number; limit?: number } = {}): HistoryPage {
    this.#beforeRead()
    const limit = Math.min(Math.max(options.limit ?? 200, 1), 1000)
    const base = baseWhere(filter)
    const statuses = statusWhere(filter)
    const where = [...base.where, ...statuses.where]
    const args = [...base.args, ...statuses.args]
    const pageWhere = options.beforeSeq === undefined ? where : [...where, 'seq < ?']
    const pageArgs = options.beforeSeq === undefined ? args : [...args, options.beforeSeq]
    const rows = this.#db
      .prepare(`${SELECT} ${clause(pageWhere)} ORDER BY seq DESC LIMIT ${limit + 1}`)
      .all(...pageArgs) as Row[]
    const more = rows.length > limit
    const events = rows.slice(0, limit).map(toRow)
    const count = (w: string[], a: (string | number)[]): number =>
      (this.#db.prepare(`SELECT COUNT(*) AS n FROM recent_events ${clause(w)}`).get(...a) as { n: number }).n
    const total = count(where, args)
    const stored = count([], [])
    const hidesUnmatched = !filter.includeUnmatched && !(filter.statuses ?? []).includes('unmatched')
    /**
     * Unmatched rows are not in the status index: counted as the rows the base filter selects
     * minus its matched ones (each reused when a count above is that very query).
     */
    const unmatchedOf = (): number => {
      const selected = base.where.length === 0 ? stored : count(base.where, base.args)
      const onlyMatched = statuses.where.length === 1 && statuses.where[0] === MATCHED
      const matched = onlyMatched ? total : count([...base.where, MATCHED], base.args)
      return selected - matched
    }
    const hiddenUnmatched = hidesUnmatched ? unmatchedOf() : 0
    return {
      events,
      nextBefore: more ? events.at(-1)!.seq : null,
      total,
      hiddenUnmatched,
      stored,
      retention: HISTORY_RETENTION
    }
  }
}

/** An event's summary from its deliveries (the newest delivery per function counts). */
function summarize(deliveries: Delivery[]): Pick<HistoryRow, 'status' | 'attempts' | 'lastError'> {
  const latest = new Map<string, InvocationStatus>()
  let attempts = 0
  let lastError: string | null = null
  for (const delivery of deliveries) {
    latest.set(delivery.function_name, delivery.status)
    attempts += delivery.attempts
    if (delivery.status === 'failed' || delivery.status === 'dead-lettered' || delivery.status === 'retrying')
      lastError = delivery.message
  }
  const status = aggregateStatus([...latest.values()])
  return { status, attempts, lastError: status === 'succeeded' ? null : lastError }
}

function clause(where: string[]): string {
  return where.length ? `WHERE ${where.join(' AND ')}` : ''
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function baseWhere(filter: HistoryFilter): { where: string[]; args: (string | number)[] } {
  const where: string[] = []
  const args: (string | number)[] = []
  if (filter.bucket) {
    where.push('bucket = ?')
    args.push(filter.bucket)
  }
  if (filter.prefix) {
    where.push(`object_key LIKE ? ESCAPE '\\'`)
    args.push(`${likeEscape(filter.prefix)}%`)
  }
  if (filter.eventType) {
    if (filter.eventType.endsWith(':*')) {
      where.push(`name LIKE ? ESCAPE '\\'`)
      args.push(`${likeEscape(filter.eventType.slice(0, -1))}%`)
    } else {
      where.push('name = ?')
      args.push(filter.eventType)
    }
  }
  if (filter.functionName) {
    where.push(`(',' || functions || ',') LIKE ? ESCAPE '\\'`)
    args.push(`%,${likeEscape(filter.functionName)},%`)
  }
  if (filter.search) {
    const like = `%${likeEscape(filter.search)}%`
    where.push(`(object_key LIKE ? ESCAPE '\\' OR request_id = ? OR invocations LIKE ? ESCAPE '\\')`)
    args.push(like, filter.search, like)
  }
  return { where, args }
}

/** Matched events: the condition of the status index (recent-events.ts), written as it is there. */
const MATCHED = `status != 'unmatched'`

function statusWhere(filter: HistoryFilter): { where: string[]; args: string[] } {
  const wanted = filter.statuses ?? []
  if (wanted.length === 0) return filter.includeUnmatched ? { where: [], args: [] } : { where: [MATCHED], args: [] }
  const parts: string[] = []
  const args: string[] = []
  for (const status of wanted) {
    if (status === 'matched') parts.push(MATCHED)
    else {
      parts.push('status = ?')
      args.push(status)
    }
  }
  // SQLite uses a partial index only when the query's WHERE names its condition: say it outright
  // when no unmatched event is wanted (it is implied then)
  const implied = wanted.includes('unmatched') ? [] : [MATCHED]
  return { where: [`(${parts.join(' OR ')})`, ...implied], args }
}

function toRow(row: Row): HistoryRow {
  return {
    seq: row.seq,
    time: row.time,
    name: row.name,
    bucket: row.bucket,
    region: row.region,
    key: row.object_key,
    requestId: row.request_id,
    status: row.status as EventStatus,
    functions: row.functions ? row.functions.split(',') : [],
    invocations: JSON.parse(row.invocations) as string[],
    attempts: row.attempts,
    lastError: row.last_error
  }
}
