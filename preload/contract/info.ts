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
  clockSpeed: z.number(),
  /** What runs the functions on this machine (the Functions view warns when Python is missing). */
  runtimes: z
    .object({
      /** e.g. "node from PATH (/usr/bin/node)" or "the app's own Node.js 24.1.0 (no node on PATH)". */
      nodejs: z.string(),
      /** `message`: why Python functions cannot run, and how to fix it. */
      python3: z.object({ command: z.string().optional(), message: z.string().optional() })
    })
    .optional()
})
export type AppInfo = z.infer<typeof AppInfoSchema>
