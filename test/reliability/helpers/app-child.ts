/**
 * The whole app in a child process, for suites that kill it: `node --import tsx app-child.ts
 * <dataDir> [--fsync]` prints `READY {"cos":…,"api":…,"token":…}` once it serves.
 */
import { createApp } from '../../../main/app.ts'

const dataDir = process.argv[2]
if (!dataDir) {
  process.stderr.write('usage: app-child.ts <dataDir>\n')
  process.exit(2)
}
const app = await createApp({ dataDir, port: 0, uiPort: 0, fsync: process.argv.includes('--fsync') })
process.stdout.write(`READY ${JSON.stringify({ cos: app.cosEndpoint, api: app.appApiUrl, token: app.token })}\n`)
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)))
