/**
 * App-API contract for saved connections to other COS endpoints (`/api/connections`): Tencent
 * Cloud COS by region, or a custom endpoint (another COS Local, a team's shared instance).
 * Secrets go in once and never come back: answers carry them masked, and the page gets
 * request signatures from `connections.sign` (cos-js-sdk-v5's getAuthorization) instead.
 */
import { z } from 'zod'

export const ConnectionKindSchema = z.enum(['tencent', 'custom'])

export const ConnectionInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: ConnectionKindSchema,
  /** Default region (Tencent Cloud: the region browsed). */
  region: z.string(),
  /** Custom endpoint URL, '' for Tencent Cloud's own domains. */
  endpoint: z.string(),
  /** `AKID…abcd`: enough to recognise the key, not to use it. */
  secretIdMasked: z.string(),
  secretKeyMasked: z.string(),
  hasSessionToken: z.boolean(),
  createdAt: z.number()
})
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>

export const ConnectionListResponseSchema = z.object({ items: z.array(ConnectionInfoSchema) })

export const CreateConnectionRequestSchema = z.strictObject({
  name: z.string().min(1).max(80),
  kind: ConnectionKindSchema,
  region: z.string().regex(/^[a-z]{2,}-[a-z0-9-]+$/, 'a COS region such as ap-guangzhou'),
  endpoint: z.string().optional(),
  secretId: z.string().min(1),
  secretKey: z.string().min(1),
  sessionToken: z.string().optional()
})
export type CreateConnectionRequest = z.infer<typeof CreateConnectionRequestSchema>

/** What cos-js-sdk-v5 hands its getAuthorization callback. */
export const SignRequestSchema = z.strictObject({
  method: z.string().min(1),
  pathname: z.string(),
  query: z.record(z.string(), z.string()),
  headers: z.record(z.string(), z.string())
})
export type SignRequest = z.infer<typeof SignRequestSchema>

export const SignResponseSchema = z.object({ authorization: z.string(), securityToken: z.string().optional() })
export type SignResponse = z.infer<typeof SignResponseSchema>
