/**
 * Invocation records in the SQL database: one row per delivery of an event to a function
 * (or a test invoke), one per attempt, and the run-log lines. Retention is bounded per
 * function. Rows are mapped to plain objects (libsql rows carry extra properties).
 */
import type { InvocationStatus } from '../core/functions/invocation-state.ts'
import type { AttemptOutcome } from '../core/functions/retry-policy.ts'
import { migrate, type Db } from './db.ts'
import { withStatementCache } from './statement-cache.ts'
import { sqlWhere } from './sql-where.ts'
import {
  COLUMNS,
  INVOCATION_SCHEMA,
  newRecord,
  INVOCATION_SCHEMA_2,
  INVOCATION_SCHEMA_3,
  INVOCATION_SCHEMA_4,
  INVOCATION_SCHEMA_5,
  INVOCATION_SCHEMA_6,
  LINE_ID_SCALE,
  LINES_PER_ROW,
  toInvocation,
  UNSUCCEEDED,
  type AttemptRecord,
  type InvocationDetail,
  type InvocationQuery,
  type InvocationRecord,
  type InvocationRow,
  type NewInvocation,
  type StoredLogLine
} from './invocation-records.ts'

export type { AttemptRecord, InvocationDetail, InvocationQuery, InvocationRecord, NewInvocation, StoredLogLine }

export class InvocationStore {
  readonly db: Db

  constructor(db: Db) {
    this.db = withStatementCache(db)
    migrate(db, 'invocations-1', INVOCATION_SCHEMA)
    migrate(db, 'invocations-2-replay', INVOCATION_SCHEMA_2)
    migrate(db, 'invocations-3-attempt-on-row', INVOCATION_SCHEMA_3)
    migrate(db, 'invocations-4-log-rows', INVOCATION_SCHEMA_4)
    migrate(db, 'invocations-5-replay-partial', INVOCATION_SCHEMA_5)
    migrate(db, 'invocations-6-fewer-indexes', INVOCATION_SCHEMA_6)
  }

  /**
   * Record a new delivery (call inside the transaction that consumes its event); returns its
   * record as stored. With `startedAt` its first attempt is recorded as started in the same row.
   */
  insert(invocation: NewInvocation): InvocationRecord {
    const started = invocation.startedAt !== undefined
    this.db
      .prepare(
        `INSERT INTO invocations (request_id, function_name, trigger_id, source, event_seq, event_name, bucket, object_key,
           event_json, status, attempts, attempt_started_at, retry_num, created_at, updated_at, replay_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        invocation.requestId,
        invocation.functionName,
        invocation.triggerId,
        invocation.source,
        invocation.eventSeq,
        invocation.eventName,
        invocation.bucket,
        invocation.key,
        JSON.stringify(invocation.event),
        started ? 'running' : invocation.status,
        started ? 1 : 0,
        invocation.startedAt ?? null,
        invocation.retryNum,
        invocation.now,
        invocation.startedAt ?? invocation.now,
        invocation.replayOf ?? null
      )
    return newRecord(invocation)
  }

  get(requestId: string): InvocationRecord | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM invocations WHERE request_id = ?`).get(requestId) as
      InvocationRow | undefined
    return row ? toInvocation(row) : undefined
  }

  event(requestId: string): unknown {
    const row = this.db.prepare('SELECT event_json FROM invocations WHERE request_id = ?').get(requestId) as
      { event_json: string } | undefined
    return row ? (JSON.parse(row.event_json) as unknown) : undefined
  }

  list(query: InvocationQuery = {}): InvocationRecord[] {
    const status = query.status || undefined
    const where = sqlWhere({
      'function_name = ?': query.functionName || undefined,
      'request_id = ?': query.requestId || undefined,
      'object_key = ?': query.key,
      // other statuses through the status index, which holds only them
      [status === 'succeeded' ? 'status = ?' : `status = ? AND ${UNSUCCEEDED}`]: status,
      'event_seq = ?': query.eventSeq,
      'bucket = ?': query.bucket || undefined,
      'replay_of = ?': query.replayOf || undefined,
      'created_at < ?': query.before
    })
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000)
    const sql = `SELECT ${COLUMNS} FROM invocations ${where.sql} ORDER BY created_at DESC, rowid DESC LIMIT ${limit}`
    return (this.db.prepare(sql).all(...where.args) as InvocationRow[]).map(toInvocation)
  }

  /** The newest `window` invocations of a function: how many, how many failed, and the newest time. */
  recentOutcomes(functionName: string, window = 50): { total: number; failed: number; lastAt: number | null } {
    const rows = this.db
      .prepare(
        `SELECT status, created_at FROM invocations WHERE function_name = ? ORDER BY created_at DESC, rowid DESC LIMIT ${window}`
      )
      .all(functionName) as { status: string; created_at: number }[]
    return {
      total: rows.length,
      failed: rows.filter(
        (row) => row.status === 'failed' || row.status === 'dead-lettered' || row.status === 'retrying'
      ).length,
      lastAt: rows[0]?.created_at ?? null
    }
  }

  /** Invocations a restart must pick up again: not yet finished. */
  unfinished(): InvocationRecord[] {
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM invocations WHERE status IN ('pending', 'running', 'retrying') AND ${UNSUCCEEDED}
         ORDER BY created_at, rowid`
      )
      .all() as InvocationRow[]
    return rows.map(toInvocation)
  }

  /** Start attempt `attempt`: status running; the attempt's start is kept on the invocation row. */
  startAttempt(requestId: string, attempt: number, now: number): void {
    this.db
      .prepare(
        `UPDATE invocations SET status = 'running', attempts = ?, attempt_started_at = ?, outcome = NULL, attempt_injected = NULL,
           next_attempt_at = NULL, updated_at = ? WHERE request_id = ?`
      )
      .run(attempt, now, now, requestId)
  }

  /**
   * Record how an attempt ended, the invocation's next status and the attempt's log lines, in
   * one commit. An attempt that will be retried gets its own row in `invocation_attempts`; the
   * last one stays on the invocation row (see INVOCATION_SCHEMA_3).
   */
  finishAttempt(input: {
    requestId: string
    functionName: string
    attempt: number
    outcome: AttemptOutcome
    durationMs: number
    memUsageBytes: number
    message: string
    status: InvocationStatus
    nextAttemptAt: number | null
    now: number
    lines: { time: number; text: string }[]
    injected?: string | null
  }): void {
    const terminal = input.status !== 'retrying'
    const durationMs = Math.round(input.durationMs)
    this.db.transaction(() => {
      if (!terminal)
        this.db
          .prepare(
            `INSERT OR REPLACE INTO invocation_attempts
               (request_id, attempt, started_at, finished_at, outcome, duration_ms, mem_usage, message, injected)
             SELECT request_id, ?1, COALESCE(attempt_started_at,
                 (SELECT started_at FROM invocation_attempts WHERE request_id = ?8 AND attempt = ?1), updated_at),
               ?2, ?3, ?4, ?5, ?6, ?7 FROM invocations WHERE request_id = ?8`
          )
          .run(
            input.attempt,
            input.now,
            input.outcome,
            durationMs,
            input.memUsageBytes,
            input.message,
            input.injected ?? null,
            input.requestId
          )
      this.db
        .prepare(
          `UPDATE invocations SET status = ?, next_attempt_at = ?, updated_at = ?, finished_at = ?, duration_ms = ?, mem_usage = ?,
             message = ?, outcome = ?, attempt_injected = ? WHERE request_id = ?`
        )
        .run(
          input.status,
          input.nextAttemptAt,
          input.now,
          terminal ? input.now : null,
          durationMs,
          input.memUsageBytes,
          input.message,
          terminal ? input.outcome : null,
          terminal ? (input.injected ?? null) : null,
          input.requestId
        )
      this.#insertLines(input.requestId, input.functionName, input.attempt, input.lines)
    })()
  }

  /**
   * An attempt's log lines in one row (up to LINES_PER_ROW a row; see INVOCATION_SCHEMA_4): one
   * row and two index entries per attempt instead of per line.
   */
  #insertLines(
    requestId: string,
    functionName: string,
    attempt: number,
    lines: { time: number; text: string }[]
  ): void {
    for (let at = 0; at < lines.length; at += LINES_PER_ROW) {
      const chunk = lines.slice(at, at + LINES_PER_ROW)
      this.db
        .prepare(
          'INSERT INTO invocation_logs (request_id, function_name, attempt, time, text, lines) VALUES (?, ?, ?, ?, ?, ?)'
        )
        .run(
          requestId,
          functionName,
          attempt,
          chunk[0]!.time,
          chunk.length === 1 ? chunk[0]!.text : '',
          chunk.length === 1 ? null : JSON.stringify(chunk.map((line) => [line.time, line.text]))
        )
    }
  }

  /** After a crash: a running attempt is marked interrupted and the invocation goes back to pending. */
  markInterrupted(requestId: string, now: number): void {
    const message = 'COS Local stopped during the attempt'
    this.db.transaction(() => {
      // an attempt row of an earlier version (it wrote one at every start)
      this.db
        .prepare(
          `UPDATE invocation_attempts SET finished_at = ?, outcome = 'interrupted', message = ?
           WHERE request_id = ? AND finished_at IS NULL`
        )
        .run(now, message, requestId)
      // the attempt kept on the invocation row gets a row of its own: another attempt follows
      this.db
        .prepare(
          `INSERT OR IGNORE INTO invocation_attempts (request_id, attempt, started_at, finished_at, outcome, message)
           SELECT request_id, attempts, attempt_started_at, ?, 'interrupted', ? FROM invocations
           WHERE request_id = ? AND status = 'running' AND attempts > 0 AND attempt_started_at IS NOT NULL`
        )
        .run(now, message, requestId)
      this.db
        .prepare(`UPDATE invocations SET status = 'pending', updated_at = ? WHERE request_id = ?`)
        .run(now, requestId)
    })()
  }

  /** The invocation's attempts: the rows of earlier attempts, and the current or last one from the invocation row. */
  attempts(requestId: string): AttemptRecord[] {
    const rows = this.db
      .prepare(
        `SELECT request_id, attempt, started_at, finished_at, outcome, duration_ms, mem_usage, message, injected
         FROM invocation_attempts WHERE request_id = ? ORDER BY attempt`
      )
      .all(requestId) as AttemptRow[]
    const attempts = rows.map(toAttempt)
    const last = this.db
      .prepare(
        `SELECT attempts, attempt_started_at, status, finished_at, outcome, duration_ms, mem_usage, message, attempt_injected
         FROM invocations WHERE request_id = ?`
      )
      .get(requestId) as LastAttemptRow | undefined
    if (
      last &&
      last.attempts > 0 &&
      last.attempt_started_at !== null &&
      !attempts.some((attempt) => attempt.attempt === last.attempts)
    ) {
      const ended = last.status !== 'running' && last.outcome !== null
      attempts.push({
        requestId,
        attempt: last.attempts,
        startedAt: last.attempt_started_at,
        finishedAt: ended ? last.finished_at : null,
        outcome: ended ? (last.outcome as AttemptOutcome) : null,
        durationMs: ended ? last.duration_ms : null,
        memUsageBytes: ended ? last.mem_usage : null,
        message: ended ? last.message : null,
        injected: ended ? last.attempt_injected : null
      })
    }
    return attempts
  }

  /**
   * Log lines of one invocation, or of a function after a cursor (`afterId`) for following;
   * with `tail`, the newest `tail` lines (still oldest first). A line's id is its row's id ×
   * LINE_ID_SCALE + its place in the row (see INVOCATION_SCHEMA_4): increasing, as before.
   */
  logs(query: {
    requestId?: string
    functionName?: string
    afterId?: number
    limit?: number
    tail?: number
  }): StoredLogLine[] {
    const after = query.afterId ?? 0
    const where = sqlWhere({
      'id >= ?': Math.floor(after / LINE_ID_SCALE),
      'request_id = ?': query.requestId || undefined,
      'function_name = ?': query.functionName || undefined
    })
    const limit = Math.min(Math.max(query.tail ?? query.limit ?? 5000, 1), 20000)
    const order = query.tail === undefined ? 'ASC' : 'DESC'
    // A row holds one line or more, and the first may hold only lines at or before the cursor: one row more.
    const rows = this.db
      .prepare(
        `SELECT id, request_id, function_name, attempt, time, text, lines FROM invocation_logs ${where.sql}
         ORDER BY id ${order} LIMIT ${limit + 1}`
      )
      .all(...where.args) as LogRow[]
    if (order === 'DESC') rows.reverse()
    const lines: StoredLogLine[] = []
    for (const row of rows) {
      const base = {
        requestId: row.request_id,
        functionName: row.function_name,
        attempt: row.attempt
      }
      const id = row.id * LINE_ID_SCALE
      if (row.lines === null) {
        if (id > after) lines.push({ id, ...base, time: row.time, text: row.text })
        continue
      }
      const pairs = JSON.parse(row.lines) as [number, string][]
      for (let i = 0; i < pairs.length; i++)
        if (id + i > after) lines.push({ id: id + i, ...base, time: pairs[i]![0], text: pairs[i]![1] })
    }
    return order === 'ASC' ? lines.slice(0, limit) : lines.slice(-limit)
  }

  /**
   * Keep only the newest `keep` finished invocations of a function (with their attempts and
   * logs): one read of the function's invocations and three statements however many go
   * (inside the caller's transaction, if one is open).
   */
  prune(functionName: string, keep: number): void {
    const old = this.db
      .prepare(
        `SELECT request_id FROM invocations WHERE function_name = ? AND status IN ('succeeded', 'failed', 'dead-lettered')
         ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?`
      )
      .pluck()
      .all(functionName, keep) as string[]
    if (old.length === 0) return
    const ids = JSON.stringify(old)
    this.db.transaction(() => {
      for (const table of ['invocation_logs', 'invocation_attempts', 'invocations'])
        this.db.prepare(`DELETE FROM ${table} WHERE request_id IN (SELECT value FROM json_each(?))`).run(ids)
    })()
  }
}

interface AttemptRow {
  request_id: string
  attempt: number
  started_at: number
  finished_at: number | null
  outcome: string | null
  duration_ms: number | null
  mem_usage: number | null
  message: string | null
  injected: string | null
}

interface LastAttemptRow {
  attempts: number
  attempt_started_at: number | null
  status: string
  finished_at: number | null
  outcome: string | null
  duration_ms: number | null
  mem_usage: number | null
  message: string | null
  attempt_injected: string | null
}

function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    requestId: row.request_id,
    attempt: row.attempt,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome as AttemptOutcome | null,
    durationMs: row.duration_ms,
    memUsageBytes: row.mem_usage,
    message: row.message,
    injected: row.injected
  }
}

interface LogRow {
  id: number
  request_id: string
  function_name: string
  attempt: number
  time: number
  text: string
  lines: string | null
}
