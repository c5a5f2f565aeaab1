/**
 * App-API contract for the event history, the event inspector, the timeline, replay and
 * redrive, fault injection and pausing delivery (`/api/events`, `/api/timeline`,
 * `/api/dead-letters`, `/api/faults`, `/api/bus`).
 */
import { z } from 'zod'
import { CoreTextSchema } from './core-text.ts'
import { AttemptSchema, InvocationSchema, StoredLogLineSchema } from './invocations.ts'
import { wholeNumber } from './route.ts'
import { MatchExplanationSchema } from './triggers.ts'

import { EVENT_STATUSES, EVENT_STATUS_FILTERS } from './status-data.ts'

export { EVENT_STATUSES, EVENT_STATUS_FILTERS }
export type EventStatus = (typeof EVENT_STATUSES)[number]
export type EventStatusFilter = (typeof EVENT_STATUS_FILTERS)[number]

/** GET /api/events?bucket&prefix&type&function&status=a,b&q&unmatched=1&before=SEQ&limit=N */
export const HistoryQuerySchema = z.strictObject({
  bucket: z.string().optional(),
  prefix: z.string().optional(),
  type: z.string().optional(),
  function: z.string().optional(),
  status: z
    .string()
    .regex(new RegExp(`^(${EVENT_STATUS_FILTERS.join('|')})(,(${EVENT_STATUS_FILTERS.join('|')}))*$`), {
      message: `a comma list of ${EVENT_STATUS_FILTERS.join(', ')}`
    })
    .optional(),
  q: z.string().optional(),
  unmatched: z.enum(['0', '1']).optional(),
  before: wholeNumber().optional(),
  limit: wholeNumber().optional()
})
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>

export const HistoryEventSchema = z.object({
  seq: z.number(),
  time: z.number(),
  name: z.string(),
  bucket: z.string(),
  region: z.string(),
  key: z.string(),
  requestId: z.string(),
  status: z.enum(EVENT_STATUSES),
  functions: z.array(z.string()),
  invocations: z.array(z.string()),
  attempts: z.number(),
  lastError: z.string().nullable()
})
export type HistoryEvent = z.infer<typeof HistoryEventSchema>

export const HistoryPageSchema = z.object({
  events: z.array(HistoryEventSchema),
  nextBefore: z.number().nullable(),
  total: z.number(),
  hiddenUnmatched: z.number(),
  stored: z.number(),
  retention: z.number()
})
export type HistoryPage = z.infer<typeof HistoryPageSchema>

export const CausingRequestSchema = z.object({
  method: z.string(),
  path: z.string(),
  status: z.number(),
  operation: z.string(),
  requestId: z.string(),
  time: z.number(),
  sourceIp: z.string().nullable()
})
export type CausingRequest = z.infer<typeof CausingRequestSchema>

export const InvocationWithAttemptsSchema = InvocationSchema.extend({
  event: z.unknown(),
  attemptList: z.array(AttemptSchema),
  logs: z.array(StoredLogLineSchema),
  logsTruncated: z.boolean()
})
export type InvocationWithAttempts = z.infer<typeof InvocationWithAttemptsSchema>

/** GET /api/events/:seq */
export const EventDetailSchema = z.object({
  event: HistoryEventSchema,
  request: CausingRequestSchema,
  /** The SCF COS event JSON as delivered (of the first delivery; every delivery carries its own). */
  delivered: z.unknown(),
  explanations: z.array(MatchExplanationSchema),
  invocations: z.array(InvocationWithAttemptsSchema)
})
export type EventDetail = z.infer<typeof EventDetailSchema>

export const TIMELINE_KINDS = ['request', 'event', 'delivery', 'retry', 'attempt', 'log', 'dead-letter'] as const
export const TimelineEntrySchema = z.object({
  kind: z.enum(TIMELINE_KINDS),
  time: z.number(),
  durationMs: z.number(),
  /** English (the CLI and scripts read it). */
  title: z.string(),
  detail: z.string(),
  /** The title and detail as messages for the UI to translate, when they hold words of ours. */
  titleText: CoreTextSchema.optional(),
  detailText: CoreTextSchema.optional(),
  tone: z.enum(['ok', 'error', 'warn', 'info', 'muted']),
  invocation: z.string().optional(),
  seq: z.number().optional(),
  injected: z.boolean().optional()
})
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>

/** GET /api/timeline?bucket=B&key=K | ?requestId=R (a COS x-cos-request-id or an SCF RequestId) */
export const TimelineQuerySchema = z.strictObject({
  bucket: z.string().optional(),
  key: z.string().optional(),
  requestId: z.string().optional()
})
export const TimelineSchema = z.object({
  subject: z.object({ bucket: z.string().optional(), key: z.string().optional(), requestId: z.string().optional() }),
  entries: z.array(TimelineEntrySchema)
})
export type Timeline = z.infer<typeof TimelineSchema>

/** POST /api/events/:seq/replay { function? } → the new deliveries */
export const ReplayRequestSchema = z.strictObject({ function: z.string().min(1).optional() })
export type ReplayRequest = z.infer<typeof ReplayRequestSchema>
export const ReplayResponseSchema = z.object({ invocations: z.array(InvocationSchema) })
export type ReplayResponse = z.infer<typeof ReplayResponseSchema>

/** POST /api/dead-letters/:requestId/redrive → the new delivery */
export const RedriveResponseSchema = InvocationSchema
export type RedriveResponse = z.infer<typeof RedriveResponseSchema>

/** GET /api/dead-letters: each dead letter with the redrives made of it. */
export const DeadLetterListResponseSchema = z.object({
  invocations: z.array(InvocationSchema.extend({ redrives: z.array(InvocationSchema) }))
})
export type DeadLetterListResponse = z.infer<typeof DeadLetterListResponseSchema>

/** Fault injection per function. */
export const FaultRuleSchema = z.object({ failNext: z.number(), timeoutNext: z.number(), latencyMs: z.number() })
export type FaultRule = z.infer<typeof FaultRuleSchema>
/** PUT /api/faults/:function (missing fields keep their value); DELETE clears. */
export const SetFaultRequestSchema = z.strictObject({
  failNext: z.number().int().optional(),
  timeoutNext: z.number().int().optional(),
  latencyMs: z.number().int().optional()
})
export type SetFaultRequest = z.infer<typeof SetFaultRequestSchema>
/** GET /api/faults */
export const FaultListSchema = z.object({ faults: z.record(z.string(), FaultRuleSchema) })
export type FaultList = z.infer<typeof FaultListSchema>

/** GET /api/bus, PUT /api/bus { paused } */
export const ClearedResponseSchema = z.object({ cleared: z.string() })

export const BusStateSchema = z.object({ paused: z.boolean(), held: z.number(), inFlight: z.number() })
export type BusState = z.infer<typeof BusStateSchema>
export const SetBusRequestSchema = z.strictObject({ paused: z.boolean() })
