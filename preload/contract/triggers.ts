/**
 * App-API contract for COS triggers: `/api/triggers`. Zod schemas validate requests on
 * the server (strict: unknown fields are rejected, nothing is coerced).
 */
import { z } from 'zod'
import { CoreTextSchema } from './core-text.ts'
import { TRIGGER_EVENT_NAMES } from './event-names.ts'
import { wholeNumber } from './route.ts'

export { TRIGGER_EVENT_NAMES }

export const TriggerSchema = z.object({
  id: z.string(),
  functionName: z.string(),
  qualifier: z.string(),
  bucket: z.string(),
  region: z.string(),
  event: z.enum(TRIGGER_EVENT_NAMES),
  prefix: z.string(),
  suffix: z.string(),
  enabled: z.boolean(),
  createdAt: z.number()
})
export type Trigger = z.infer<typeof TriggerSchema>

/** POST /api/triggers. `event` is checked by the server so the error can list the valid names. */
export const CreateTriggerRequestSchema = z.strictObject({
  functionName: z.string(),
  bucket: z.string(),
  event: z.string(),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
  enabled: z.boolean().optional(),
  qualifier: z.string().optional(),
  region: z.string().optional()
})
export type CreateTriggerRequest = z.infer<typeof CreateTriggerRequestSchema>

/** PATCH /api/triggers/:id (enable/disable is `{ enabled }`). */
export const UpdateTriggerRequestSchema = z.strictObject({
  bucket: z.string().optional(),
  event: z.string().optional(),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
  enabled: z.boolean().optional(),
  qualifier: z.string().optional(),
  region: z.string().optional()
})
export type UpdateTriggerRequest = z.infer<typeof UpdateTriggerRequestSchema>

/** GET /api/triggers?function=F&bucket=B */
export const TriggerQuerySchema = z.strictObject({ function: z.string().optional(), bucket: z.string().optional() })
export const TriggerListResponseSchema = z.object({ triggers: z.array(TriggerSchema) })
export type TriggerListResponse = z.infer<typeof TriggerListResponseSchema>

export const MatchCheckSchema = z.enum(['bucket', 'event', 'prefix', 'suffix', 'enabled', 'region'])

export const MatchExplanationSchema = z.object({
  triggerId: z.string(),
  functionName: z.string(),
  matched: z.boolean(),
  failed: z.array(MatchCheckSchema),
  /** English sentences (the CLI prints them). */
  reasons: z.array(z.string()),
  /** The same reasons as messages for the UI to translate (absent in records without `rule`). */
  texts: z.array(CoreTextSchema).optional(),
  /** The trigger as it was when the event was checked (absent in records made before it was kept). */
  rule: z
    .object({ bucket: z.string(), event: z.string(), prefix: z.string(), suffix: z.string(), enabled: z.boolean() })
    .optional()
})
export type MatchExplanation = z.infer<typeof MatchExplanationSchema>

export const ExplainedEventSchema = z.object({
  seq: z.number(),
  time: z.number(),
  name: z.string(),
  bucket: z.string(),
  region: z.string(),
  key: z.string(),
  requestId: z.string(),
  explanations: z.array(MatchExplanationSchema),
  invocations: z.array(z.string())
})
export type ExplainedEvent = z.infer<typeof ExplainedEventSchema>

/** GET /api/explain?bucket=B&key=K: recent events of the key with per-trigger explanations. */
export const ExplainQuerySchema = z.strictObject({ bucket: z.string().min(1), key: z.string() })
export const ExplainResponseSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  events: z.array(ExplainedEventSchema),
  /** When no recent event: how the current triggers would treat a Put and a Delete of the key. */
  hypothetical: z.array(z.object({ event: z.string(), explanations: z.array(MatchExplanationSchema) })),
  triggers: z.array(TriggerSchema)
})
export type ExplainResponse = z.infer<typeof ExplainResponseSchema>

/** GET /api/events/recent?bucket=B&key=K&limit=N */
export const RecentEventsQuerySchema = z.strictObject({
  bucket: z.string().optional(),
  key: z.string().optional(),
  limit: wholeNumber().optional()
})
export const RecentEventsResponseSchema = z.object({ events: z.array(ExplainedEventSchema) })
export type RecentEventsResponse = z.infer<typeof RecentEventsResponseSchema>
