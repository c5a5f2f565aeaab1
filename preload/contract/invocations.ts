/**
 * App-API contract for invocations, run logs, test templates and the wait endpoint.
 */
import { z } from 'zod'
import { wholeNumber } from './route.ts'
import { INVOCATION_STATUSES } from './status-data.ts'

export { INVOCATION_STATUSES }
export const InvocationStatusSchema = z.enum(INVOCATION_STATUSES)
export type InvocationStatus = z.infer<typeof InvocationStatusSchema>

export const ATTEMPT_OUTCOMES = [
  'succeeded',
  'error',
  'timeout',
  'crashed',
  'out-of-memory',
  'function-missing',
  'interrupted'
] as const

export const InvocationSchema = z.object({
  requestId: z.string(),
  functionName: z.string(),
  triggerId: z.string().nullable(),
  source: z.enum(['trigger', 'test']),
  eventSeq: z.number().nullable(),
  eventName: z.string().nullable(),
  bucket: z.string().nullable(),
  key: z.string().nullable(),
  status: InvocationStatusSchema,
  attempts: z.number(),
  retryNum: z.number(),
  nextAttemptAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  memUsageBytes: z.number().nullable(),
  message: z.string().nullable(),
  /** The invocation this one replays or redrives (`event:SEQ` for a replay to a function the event did not match). */
  replayOf: z.string().nullable()
})
export type Invocation = z.infer<typeof InvocationSchema>

export const AttemptSchema = z.object({
  requestId: z.string(),
  attempt: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  outcome: z.enum(ATTEMPT_OUTCOMES).nullable(),
  durationMs: z.number().nullable(),
  memUsageBytes: z.number().nullable(),
  message: z.string().nullable(),
  /** 'fail' / 'timeout' when fault injection decided the outcome; 'latency' when it only delayed it. */
  injected: z.string().nullable()
})
export type Attempt = z.infer<typeof AttemptSchema>

export const LogLineSchema = z.object({ time: z.number(), text: z.string() })
export type LogLine = z.infer<typeof LogLineSchema>

export const StoredLogLineSchema = LogLineSchema.extend({
  id: z.number(),
  requestId: z.string(),
  functionName: z.string(),
  attempt: z.number()
})
export type StoredLogLine = z.infer<typeof StoredLogLineSchema>

/** GET /api/invocations/:requestId */
export const InvocationDetailSchema = InvocationSchema.extend({
  event: z.unknown(),
  attemptList: z.array(AttemptSchema),
  logs: z.array(StoredLogLineSchema)
})
export type InvocationDetail = z.infer<typeof InvocationDetailSchema>

/** GET /api/invocations?function=F&requestId=R&key=K&status=S&limit=N&before=T */
export const InvocationQuerySchema = z.strictObject({
  function: z.string().optional(),
  requestId: z.string().optional(),
  key: z.string().optional(),
  status: InvocationStatusSchema.optional(),
  bucket: z.string().optional(),
  limit: wholeNumber().optional(),
  before: wholeNumber().optional()
})

export const InvocationListResponseSchema = z.object({ invocations: z.array(InvocationSchema) })
export type InvocationListResponse = z.infer<typeof InvocationListResponseSchema>

/** GET /api/logs?function=F&requestId=R&after=ID&limit=N */
export const LogQuerySchema = z.strictObject({
  function: z.string().optional(),
  requestId: z.string().optional(),
  after: wholeNumber().optional(),
  limit: wholeNumber().optional(),
  /** The newest N lines (oldest first), for a pane opening. */
  tail: wholeNumber().optional()
})
export const LogListResponseSchema = z.object({ lines: z.array(StoredLogLineSchema) })
export type LogListResponse = z.infer<typeof LogListResponseSchema>

/** GET /api/wait?function=F&key=K&timeout=MS&since=T → the invocation, or 408 WaitTimeout. */
export const WaitQuerySchema = z.strictObject({
  function: z.string().min(1),
  key: z.string().optional(),
  timeout: wholeNumber().optional(),
  since: wholeNumber().optional()
})

/** GET /api/test-templates */
export const TestTemplateListSchema = z.object({
  templates: z.array(z.object({ id: z.string(), label: z.string() }))
})
export type TestTemplateList = z.infer<typeof TestTemplateListSchema>

/** GET /api/test-templates/:event?bucket=B&key=K&function=F → the SCF COS event, ready to edit. */
export const TestTemplateQuerySchema = z.strictObject({
  bucket: z.string().optional(),
  key: z.string().optional(),
  function: z.string().optional()
})
