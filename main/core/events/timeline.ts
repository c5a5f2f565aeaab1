/**
 * "What happened to this object?": one list on the emulated time axis for an object key or
 * a request id — the COS request, the event(s) it caused, each delivery and its attempts
 * (retries and the dead letter in place, injected faults marked), and the attempts' log lines.
 */
import { causingRequest, type DeliveryStatus } from './event-history.ts'
import { renderText, type CoreText } from '../text.ts'
import { resultWithoutTrace } from '../functions/run-log.ts'

export interface TimelineEventInput {
  seq: number
  time: number
  name: string
  bucket: string
  key: string
  requestId: string
}

export interface TimelineAttemptInput {
  attempt: number
  startedAt: number
  finishedAt: number | null
  outcome: string | null
  durationMs: number | null
  message: string | null
  injected: string | null
}

export interface TimelineInvocationInput {
  requestId: string
  functionName: string
  eventSeq: number | null
  source: string
  replayOf: string | null
  status: DeliveryStatus
  createdAt: number
  finishedAt: number | null
  nextAttemptAt: number | null
  attempts: TimelineAttemptInput[]
  logs: { time: number; text: string; attempt: number }[]
}

export type TimelineKind = 'request' | 'event' | 'delivery' | 'attempt' | 'retry' | 'dead-letter' | 'log'

export interface TimelineEntry {
  kind: TimelineKind
  /** Emulated epoch ms. */
  time: number
  /** Emulated ms the entry lasts (attempts), else 0. */
  durationMs: number
  /** English, rendered from `titleText` / `detailText` when those are set. */
  title: string
  detail: string
  /** The title and detail as messages (translatable), when they hold words of ours. */
  titleText?: CoreText
  detailText?: CoreText
  /** succeeded / failed / … for attempts and deliveries; the level for log lines. */
  tone: 'ok' | 'error' | 'warn' | 'info' | 'muted'
  /** The delivery (SCF request id) the entry belongs to, if any. */
  invocation?: string
  seq?: number
  injected?: boolean
}

/** The timeline's own words (English templates; the UI translates them). */
export const TIMELINE_TEXTS = {
  eventDetail: '{object} · event #{seq}',
  replayOf: 'replay of {requestId}',
  testInvoke: 'test invoke',
  eventNumber: 'event #{seq}',
  delivery: '{function} ← {how}',
  deliveryDetail: 'RequestId {requestId} · {status}',
  attempt: 'Attempt {attempt}: {outcome}',
  attemptInjected: 'Attempt {attempt}: {outcome} (injected)',
  retryScheduled: 'Retry {attempt} scheduled',
  retryOf: 'Retry {retry} of {function}',
  retryPolicy: "SCF's async retry policy",
  deadLetter: 'Dead letter',
  deadLetterDetail: '{function}: retries exhausted; redrive it from the dead-letter list',
  logDetail: 'attempt {attempt}',
  moreLogLines: "… {count} more log lines (open the invocation's log)"
} as const

const text = (template: string, params?: CoreText['params']): CoreText =>
  params ? { text: template, params } : { text: template }

/** The entry's English title and detail from its messages. */
function worded(entry: Omit<TimelineEntry, 'title' | 'detail'> & { title?: string; detail?: string }): TimelineEntry {
  return {
    ...entry,
    title: entry.title ?? (entry.titleText ? renderText(entry.titleText) : ''),
    detail: entry.detail ?? (entry.detailText ? renderText(entry.detailText) : '')
  }
}

const ORDER: Record<TimelineKind, number> = {
  request: 0,
  event: 1,
  delivery: 2,
  retry: 3,
  attempt: 4,
  log: 5,
  'dead-letter': 6
}

export function logTone(text: string): TimelineEntry['tone'] {
  if (/^ERROR RequestId:/.test(text) || /\t(ERROR|\[ERROR\])\t?/.test(text)) return 'error'
  if (/^(START|END|Report|Response) RequestId:/.test(text)) return 'muted'
  if (/\t(WARN|\[WARN\])/.test(text)) return 'warn'
  return 'info'
}

/**
 * A run-log line as the axis shows it: a user line without SCF's `time<TAB>RequestId<TAB>`
 * prefix — the axis already places it at that time (one emulated-clock reading), and a second,
 * UTC copy of it beside the axis's local time read as a different clock. Platform lines as is.
 */
export function logMessage(text: string): string {
  const prefix = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\t[^\t\n]*\t/.exec(text)
  return prefix ? text.slice(prefix[0].length) : text
}

export function buildTimeline(
  events: readonly TimelineEventInput[],
  invocations: readonly TimelineInvocationInput[],
  options: { maxLogLines?: number } = {}
): TimelineEntry[] {
  const entries: TimelineEntry[] = []
  const seenRequests = new Set<string>()
  for (const event of events) {
    if (!seenRequests.has(event.requestId)) {
      seenRequests.add(event.requestId)
      const request = causingRequest(event)
      entries.push({
        kind: 'request',
        time: event.time,
        durationMs: 0,
        title: `${request.method} ${request.path} → ${request.status}`,
        detail: `${request.operation} · x-cos-request-id ${event.requestId}`,
        tone: 'info'
      })
    }
    entries.push(
      worded({
        kind: 'event',
        time: event.time,
        durationMs: 0,
        title: event.name,
        detailText: text(TIMELINE_TEXTS.eventDetail, { object: `${event.bucket}/${event.key}`, seq: event.seq }),
        tone: 'info',
        seq: event.seq
      })
    )
  }
  const maxLogs = options.maxLogLines ?? 200
  for (const invocation of invocations) {
    const how =
      invocation.replayOf !== null
        ? text(TIMELINE_TEXTS.replayOf, { requestId: invocation.replayOf })
        : invocation.source === 'test'
          ? text(TIMELINE_TEXTS.testInvoke)
          : text(TIMELINE_TEXTS.eventNumber, { seq: invocation.eventSeq ?? '?' })
    entries.push(
      worded({
        kind: 'delivery',
        time: invocation.createdAt,
        durationMs: 0,
        titleText: text(TIMELINE_TEXTS.delivery, { function: invocation.functionName, how }),
        detailText: text(TIMELINE_TEXTS.deliveryDetail, {
          requestId: invocation.requestId,
          status: text(invocation.status)
        }),
        tone: statusTone(invocation.status),
        invocation: invocation.requestId,
        seq: invocation.eventSeq ?? undefined
      })
    )
    for (const attempt of invocation.attempts) {
      const outcome = attempt.outcome ?? 'running'
      entries.push(
        worded({
          kind: 'attempt',
          time: attempt.startedAt,
          durationMs: attempt.finishedAt === null ? 0 : Math.max(0, attempt.finishedAt - attempt.startedAt),
          titleText: text(attempt.injected ? TIMELINE_TEXTS.attemptInjected : TIMELINE_TEXTS.attempt, {
            attempt: attempt.attempt,
            outcome: text(outcome)
          }),
          detail: [
            attempt.durationMs === null ? '' : `${attempt.durationMs} ms`,
            clip(resultWithoutTrace(attempt.message ?? ''))
          ]
            .filter(Boolean)
            .join(' · '),
          tone: outcome === 'succeeded' ? 'ok' : outcome === 'running' ? 'info' : 'error',
          invocation: invocation.requestId,
          injected: Boolean(attempt.injected)
        })
      )
    }
    if (invocation.status === 'retrying' && invocation.nextAttemptAt !== null) {
      entries.push(
        worded({
          kind: 'retry',
          time: invocation.nextAttemptAt,
          durationMs: 0,
          titleText: text(TIMELINE_TEXTS.retryScheduled, { attempt: invocation.attempts.length + 1 }),
          detailText: text(TIMELINE_TEXTS.retryPolicy),
          tone: 'warn',
          invocation: invocation.requestId
        })
      )
    }
    // Earlier retries: the gap between attempts, at the time the next attempt was due.
    for (const attempt of invocation.attempts.slice(1)) {
      entries.push(
        worded({
          kind: 'retry',
          time: attempt.startedAt,
          durationMs: 0,
          titleText: text(TIMELINE_TEXTS.retryOf, { retry: attempt.attempt - 1, function: invocation.functionName }),
          detailText: text(TIMELINE_TEXTS.retryPolicy),
          tone: 'warn',
          invocation: invocation.requestId
        })
      )
    }
    if (invocation.status === 'dead-lettered') {
      entries.push(
        worded({
          kind: 'dead-letter',
          time: invocation.finishedAt ?? invocation.attempts.at(-1)?.finishedAt ?? invocation.createdAt,
          durationMs: 0,
          titleText: text(TIMELINE_TEXTS.deadLetter),
          detailText: text(TIMELINE_TEXTS.deadLetterDetail, { function: invocation.functionName }),
          tone: 'error',
          invocation: invocation.requestId
        })
      )
    }
    for (const line of invocation.logs.slice(0, maxLogs)) {
      entries.push(
        worded({
          kind: 'log',
          time: line.time,
          durationMs: 0,
          title: logMessage(line.text),
          detailText: text(TIMELINE_TEXTS.logDetail, { attempt: line.attempt }),
          tone: logTone(line.text),
          invocation: invocation.requestId
        })
      )
    }
    if (invocation.logs.length > maxLogs) {
      const last = invocation.logs.at(-1)!
      entries.push(
        worded({
          kind: 'log',
          time: last.time,
          durationMs: 0,
          titleText: text(TIMELINE_TEXTS.moreLogLines, { count: invocation.logs.length - maxLogs }),
          detail: '',
          tone: 'muted',
          invocation: invocation.requestId
        })
      )
    }
  }
  // Stable: by time, then request → event → delivery → retry → attempt → log → dead letter.
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.time - b.entry.time || ORDER[a.entry.kind] - ORDER[b.entry.kind] || a.index - b.index)
    .map(({ entry }) => entry)
}

/** Long messages (stack traces) are cut for the axis; the inspector shows them whole. */
function clip(text: string, max = 240): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function statusTone(status: DeliveryStatus): TimelineEntry['tone'] {
  if (status === 'succeeded') return 'ok'
  if (status === 'failed' || status === 'dead-lettered') return 'error'
  if (status === 'retrying') return 'warn'
  return 'info'
}
