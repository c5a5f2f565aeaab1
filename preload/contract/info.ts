/** GET /api/info: what the UI shows so a developer can point an SDK at the emulator. */
export interface AppInfo {
  version: string
  cosEndpoint: string
  cosPort: number
  appid: string
  region: string
  /** Credentials any SDK may use (open mode accepts any; verified when configured). */
  credentials: { secretId: string; secretKey: string }
  /** True when signatures are verified. */
  verifySignatures: boolean
  dataDir: string
  clockSpeed: number
}
