/** GET /api/info: what the UI shows so a developer can point an SDK at the emulator. */
import { z } from 'zod'

export const AppInfoSchema = z.object({
  version: z.string(),
  cosEndpoint: z.string(),
  cosPort: z.number(),
  appid: z.string(),
  region: z.string(),
  /** Credentials any SDK may use (open mode accepts any; verified when configured). */
  credentials: z.object({ secretId: z.string(), secretKey: z.string() }),
  /** True when signatures are verified. */
  verifySignatures: z.boolean(),
  dataDir: z.string(),
  clockSpeed: z.number()
})
export type AppInfo = z.infer<typeof AppInfoSchema>
