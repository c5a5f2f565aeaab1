/**
 * App-API contract for known state: snapshot save/load (`/api/snapshot/*`) and seeding a
 * bucket from a folder (`/api/seed`). Paths are on the machine running COS Local.
 */
import { z } from 'zod'

export const SnapshotFileRequestSchema = z.strictObject({ file: z.string().min(1) })

export const SnapshotResultSchema = z.object({
  file: z.string(),
  formatVersion: z.number(),
  counts: z.object({ buckets: z.number(), objects: z.number(), functions: z.number(), triggers: z.number() })
})
export type SnapshotResult = z.infer<typeof SnapshotResultSchema>

export const SeedRequestSchema = z.strictObject({
  dir: z.string().min(1),
  bucket: z.string().min(1),
  prefix: z.string().optional()
})
export type SeedRequest = z.infer<typeof SeedRequestSchema>

export const SeedResultSchema = z.object({ uploaded: z.number(), skipped: z.number() })
export type SeedResult = z.infer<typeof SeedResultSchema>
