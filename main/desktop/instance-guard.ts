/**
 * One core per data folder: the desktop app and `cos-local serve` share the per-user data folder
 * (so CLI client commands find either one through its instance.json), and must not both open it.
 */
import { readFileSync } from 'node:fs'
import { instanceFile } from '../paths.ts'

export interface RunningInstance {
  pid: number
  appApiUrl?: string
  cosEndpoint?: string
  token?: string
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The other live process serving `dataDir`, from its instance.json (a stale file is ignored). */
export function runningInstance(
  dataDir: string,
  isAlive: (pid: number) => boolean = pidAlive,
  self: number = process.pid
): RunningInstance | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(instanceFile(dataDir), 'utf8'))
  } catch {
    return undefined
  }
  const record = parsed as Partial<RunningInstance>
  if (typeof record.pid !== 'number' || !Number.isInteger(record.pid) || record.pid <= 0) return undefined
  if (record.pid === self || !isAlive(record.pid)) return undefined
  return { pid: record.pid, appApiUrl: record.appApiUrl, cosEndpoint: record.cosEndpoint, token: record.token }
}

/**
 * Whether the instance really answers on its app API (a live pid alone may be a reused one after
 * a crash): GET /api/info with its token, within `timeoutMs`.
 */
export async function answers(instance: RunningInstance, timeoutMs = 1500): Promise<boolean> {
  if (!instance.appApiUrl) return false
  try {
    const response = await fetch(`${instance.appApiUrl}/api/info`, {
      headers: { authorization: `Bearer ${instance.token ?? ''}` },
      signal: AbortSignal.timeout(timeoutMs)
    })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}

export function alreadyRunningMessage(dataDir: string, other: RunningInstance): string {
  return [
    `Another COS Local (process ${other.pid}) is using the data folder ${dataDir}` +
      (other.cosEndpoint ? `, with its COS endpoint at ${other.cosEndpoint}` : '') +
      '.',
    'Stop it (Ctrl-C in the terminal running `cos-local serve`) and open the app again,',
    'or start the app with COS_LOCAL_DATA set to another folder.'
  ].join('\n')
}
