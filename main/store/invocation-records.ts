/**
 * Invocation records: the types the store returns, the table schema and the mapping from
 * rows (libsql rows carry extra properties, so they are mapped field by field).
 */
import type { InvocationStatus } from '../core/functions/invocation-state.ts'
import type { AttemptOutcome } from '../core/functions/retry-policy.ts'

export interface InvocationRecord {
  requestId: string
  functionName: string
  triggerId: string | null
  source: 'trigger' | 'test'
  eventSeq: number | null
  eventName: string | null
  bucket: string | null
  key: string | null
  status: InvocationStatus
  attempts: number
  retryNum: number
  /** Emulated-clock ms of the next attempt while retrying. */
  nextAttemptAt: number | null
  createdAt: number
  updatedAt: number
  finishedAt: number | null
  durationMs: number | null
  memUsageBytes: number | null
  /** RetMsg on success, the ERROR Result on failure. */
  message: string | null
  /** The invocation this one replays or redrives (null for the original delivery). */
  replayOf: string | null
}

export interface AttemptRecord {
  requestId: string
  attempt: number
  startedAt: number
  finishedAt: number | null
  outcome: AttemptOutcome | null
  durationMs: number | null
  memUsageBytes: number | null
  message: string | null
  /** Set when fault injection decided the attempt's outcome ('fail', 'timeout'), or added latency. */
  injected: string | null
}

export interface StoredLogLine {
  id: number
  requestId: string
  functionName: string
  attempt: number
  time: number
  text: string
}

/** One invocation with its event, attempts and run log, as the app API returns it. */
export interface InvocationDetail extends InvocationRecord {
  event: unknown
  attemptList: AttemptRecord[]
  logs: StoredLogLine[]
}

export interface NewInvocation {
  requestId: string
  functionName: string
  triggerId: string | null
  source: 'trigger' | 'test'
  eventSeq: number | null
  eventName: string | null
  bucket: string | null
  key: string | null
  event: unknown
  retryNum: number
  status: InvocationStatus
  now: number
  replayOf?: string | null
  /** Recorded with its first attempt already started at this time (status running, attempts 1). */
  startedAt?: number
}

export interface InvocationQuery {
  functionName?: string
  requestId?: string
  key?: string
  status?: InvocationStatus
  eventSeq?: number
  bucket?: string
  /** Invocations replaying or redriving this one. */
  replayOf?: string
  limit?: number
  /** Only invocations created before this (emulated ms), for paging. */
  before?: number
}

export const COLUMNS = `request_id, function_name, trigger_id, source, event_seq, event_name, bucket, object_key, status, attempts,
  retry_num, next_attempt_at, created_at, updated_at, finished_at, duration_ms, mem_usage, message, replay_of`

export interface InvocationRow {
  request_id: string
  function_name: string
  trigger_id: string | null
  source: string
  event_seq: number | null
  event_name: string | null
  bucket: string | null
  object_key: string | null
  status: string
  attempts: number
  retry_num: number
  next_attempt_at: number | null
  created_at: number
  updated_at: number
  finished_at: number | null
  duration_ms: number | null
  mem_usage: number | null
  message: string | null
  replay_of: string | null
}

export function toInvocation(row: InvocationRow): InvocationRecord {
  return {
    requestId: row.request_id,
    functionName: row.function_name,
    triggerId: row.trigger_id,
    source: row.source === 'test' ? 'test' : 'trigger',
    eventSeq: row.event_seq,
    eventName: row.event_name,
    bucket: row.bucket,
    key: row.object_key,
    status: row.status as InvocationStatus,
    attempts: row.attempts,
    retryNum: row.retry_num,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    memUsageBytes: row.mem_usage,
    message: row.message,
    replayOf: row.replay_of
  }
}

/** What a status change sets on an invocation record (undefined: unchanged; null is a value). */
export type RecordChange = Partial<
  Pick<
    InvocationRecord,
    'status' | 'attempts' | 'nextAttemptAt' | 'updatedAt' | 'finishedAt' | 'durationMs' | 'memUsageBytes' | 'message'
  >
>

/**
 * The record with `change` applied, written out property by property: in Node 20 a literal that
 * spreads an object and then sets more properties builds a new hidden class on every call (and
 * leaves every reader of the result megamorphic; see bench/FINDINGS.md, PUT session 6), and the
 * executor makes two of these per delivery.
 */
export function changedRecord(record: InvocationRecord, change: RecordChange): InvocationRecord {
  const pick = <K extends keyof RecordChange>(name: K): InvocationRecord[K] =>
    (change[name] === undefined ? record[name] : change[name]) as InvocationRecord[K]
  return {
    requestId: record.requestId,
    functionName: record.functionName,
    triggerId: record.triggerId,
    source: record.source,
    eventSeq: record.eventSeq,
    eventName: record.eventName,
    bucket: record.bucket,
    key: record.key,
    status: pick('status'),
    attempts: pick('attempts'),
    retryNum: record.retryNum,
    nextAttemptAt: pick('nextAttemptAt'),
    createdAt: record.createdAt,
    updatedAt: pick('updatedAt'),
    finishedAt: pick('finishedAt'),
    durationMs: pick('durationMs'),
    memUsageBytes: pick('memUsageBytes'),
    message: pick('message'),
    replayOf: record.replayOf
  }
}

/** The record a new delivery's row reads back as right after `InvocationStore.insert` (no query needed). */
export function newRecord(invocation: NewInvocation): InvocationRecord {
  const started = invocation.startedAt !== undefined
  return {
    requestId: invocation.requestId,
    functionName: invocation.functionName,
    triggerId: invocation.triggerId,
    source: invocation.source,
    eventSeq: invocation.eventSeq,
    eventName: invocation.eventName,
    bucket: invocation.bucket,
    key: invocation.key,
    status: started ? 'running' : invocation.status,
    attempts: started ? 1 : 0,
    retryNum: invocation.retryNum,
    nextAttemptAt: null,
    createdAt: invocation.now,
    updatedAt: invocation.startedAt ?? invocation.now,
    finishedAt: null,
    durationMs: null,
    memUsageBytes: null,
    message: null,
    replayOf: invocation.replayOf ?? null
  }
}

/** The tables, applied once by migrate(). */
export const INVOCATION_SCHEMA = [
  `CREATE TABLE invocations (
     request_id TEXT PRIMARY KEY,
     function_name TEXT NOT NULL,
     trigger_id TEXT,
     source TEXT NOT NULL,
     event_seq INTEGER,
     event_name TEXT,
     bucket TEXT,
     object_key TEXT,
     event_json TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     retry_num INTEGER NOT NULL,
     next_attempt_at INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     finished_at INTEGER,
     duration_ms INTEGER,
     mem_usage INTEGER,
     message TEXT
   )`,
  'CREATE INDEX invocations_function ON invocations (function_name, created_at)',
  'CREATE INDEX invocations_status ON invocations (status)',
  'CREATE INDEX invocations_key ON invocations (object_key, created_at)',
  `CREATE TABLE invocation_attempts (
     request_id TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     started_at INTEGER NOT NULL,
     finished_at INTEGER,
     outcome TEXT,
     duration_ms INTEGER,
     mem_usage INTEGER,
     message TEXT,
     PRIMARY KEY (request_id, attempt)
   )`,
  `CREATE TABLE invocation_logs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     request_id TEXT NOT NULL,
     function_name TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     time INTEGER NOT NULL,
     text TEXT NOT NULL
   )`,
  'CREATE INDEX invocation_logs_request ON invocation_logs (request_id, id)',
  'CREATE INDEX invocation_logs_function ON invocation_logs (function_name, id)'
]

/** Replays/redrives link to their original; attempts say when a fault was injected. */
export const INVOCATION_SCHEMA_2 = [
  'ALTER TABLE invocations ADD COLUMN replay_of TEXT',
  'ALTER TABLE invocation_attempts ADD COLUMN injected TEXT',
  'CREATE INDEX invocations_event ON invocations (event_seq)',
  'CREATE INDEX invocations_replay ON invocations (replay_of)'
]

/**
 * The current (or last) attempt lives on the invocation row: when it started, and once it has
 * ended for good its outcome and injected fault (its end time, duration, memory and message are
 * the invocation's own). `invocation_attempts` gets a row only for an attempt that was followed
 * by another (retried or interrupted), so a delivery that succeeds at once writes no attempt row.
 * Data folders of earlier versions hold a row for every attempt; those rows are read as before
 * (a row in the table wins over the one the invocation row describes).
 */
export const INVOCATION_SCHEMA_3 = [
  'ALTER TABLE invocations ADD COLUMN attempt_started_at INTEGER',
  'ALTER TABLE invocations ADD COLUMN outcome TEXT',
  'ALTER TABLE invocations ADD COLUMN attempt_injected TEXT'
]

/**
 * An attempt's run log in one row: `lines` holds its lines as a JSON array of [time, text]
 * (`time` is the first line's, `text` empty); a row with `lines` NULL is one line, as every row
 * of earlier versions is. Writing five lines as five rows cost five rows and ten index entries
 * per attempt (and as many to delete at retention). A line's id is its row's id × LINE_ID_SCALE
 * + its place in the row, so ids keep increasing across old and new rows.
 */
export const INVOCATION_SCHEMA_4 = ['ALTER TABLE invocation_logs ADD COLUMN lines TEXT']

/** Lines per log row at most (below LINE_ID_SCALE). */
export const LINES_PER_ROW = 1000
export const LINE_ID_SCALE = 1024

/**
 * Only replays and redrives have `replay_of`: the index keeps just those (queries by
 * `replay_of = ?` still use it), so recording a delivery writes one index fewer.
 */
export const INVOCATION_SCHEMA_5 = [
  'DROP INDEX invocations_replay',
  'CREATE INDEX invocations_replay ON invocations (replay_of) WHERE replay_of IS NOT NULL'
]

/**
 * Two indexes fewer to write for every delivery (measured with bench/bus-store.ts): the key
 * index goes (a query by key alone reads the invocations retention keeps, a few hundred per
 * function; with a function, as `waitFor` asks, its index serves), and the status index keeps
 * only deliveries that have not succeeded — the ones unfinished at a restart and the failures
 * — so a delivery that succeeds leaves it instead of moving to the largest part of it.
 * Queries for other statuses name its condition (see UNSUCCEEDED), as SQLite needs to use it.
 */
export const INVOCATION_SCHEMA_6 = [
  'DROP INDEX invocations_key',
  'DROP INDEX invocations_status',
  `CREATE INDEX invocations_status ON invocations (status) WHERE status != 'succeeded'`
]

/** The condition of the status index (INVOCATION_SCHEMA_6), written exactly as there. */
export const UNSUCCEEDED = `status != 'succeeded'`
