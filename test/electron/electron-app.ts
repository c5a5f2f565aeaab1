/**
 * Launching the built desktop app with Playwright's `_electron`, each test in its own profile
 * (user data, data folder, single-instance lock) on free ports. Where the Electron binary is
 * missing (our build machines) `electronMissing` says why, and the specs skip with that reason.
 */
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '../..')

function probe(): { path: string } | { missing: string } {
  try {
    return { path: createRequire(import.meta.url)('electron') as string }
  } catch (error) {
    return { missing: (error as Error).message.split('\n')[0]! }
  }
}

const found = probe()
export const electronPath = 'path' in found ? found.path : undefined
export const electronMissing =
  'missing' in found
    ? `Electron binary is not installed on this machine (${found.missing}); desktop tests run in .github/workflows/desktop.yml`
    : undefined

// CI sets COS_LOCAL_REQUIRE_ELECTRON=1 where Electron must run: a missing binary fails there instead of skipping.
if (electronMissing && process.env.COS_LOCAL_REQUIRE_ELECTRON === '1') throw new Error(electronMissing)

export interface Profile {
  dir: string
  env: Record<string, string>
  remove(): void
}

export function newProfile(): Profile {
  const dir = mkdtempSync(join(tmpdir(), 'cos-local-electron-'))
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value
  delete env.ELECTRON_RUN_AS_NODE
  Object.assign(env, {
    COS_LOCAL_USER_DATA: join(dir, 'user-data'),
    COS_LOCAL_DATA: join(dir, 'data'),
    COS_LOCAL_PORT: '0',
    COS_LOCAL_UI_PORT: '0'
  })
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function launch(profile: Profile): Promise<{ app: ElectronApplication; window: Page }> {
  const app = await electron.launch({ args: [root], env: profile.env, cwd: root })
  const window = await app.firstWindow()
  await window.waitForLoadState('domcontentloaded')
  return { app, window }
}

/** The app-API URL and token the window's bridge carries. */
export async function bridgeOf(window: Page): Promise<{ apiUrl: string; token: string }> {
  return window.evaluate(() => {
    const bridge = (window as unknown as { cosLocal: { apiUrl: string; token: string } }).cosLocal
    return { apiUrl: bridge.apiUrl, token: bridge.token }
  })
}

export async function appApi<T>(
  bridge: { apiUrl: string; token: string },
  method: string,
  path: string,
  body?: unknown
): Promise<T> {
  const response = await fetch(bridge.apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const payload = (await response.json()) as T & { error?: { code: string; message: string } }
  if (!response.ok) throw new Error(`${method} ${path}: ${payload.error?.code} ${payload.error?.message}`)
  return payload
}

/** Every process below `pid` (pid, command), from ps / PowerShell. */
export function descendants(pid: number): { pid: number; command: string }[] {
  const rows: { pid: number; ppid: number; command: string }[] =
    process.platform === 'win32'
      ? (
          JSON.parse(
            execFileSync(
              'powershell.exe',
              [
                '-NoProfile',
                '-Command',
                'Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,CommandLine | ConvertTo-Json -Compress'
              ],
              { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
            )
          ) as { ProcessId: number; ParentProcessId: number; CommandLine: string | null }[]
        ).map((row) => ({ pid: row.ProcessId, ppid: row.ParentProcessId, command: row.CommandLine ?? '' }))
      : execFileSync('ps', ['-A', '-o', 'pid=,ppid=,command='], { encoding: 'utf8' })
          .split('\n')
          .flatMap((line) => {
            const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)
            return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), command: match[3]! }] : []
          })
  const found: { pid: number; command: string }[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const parent = queue.shift()!
    for (const row of rows) {
      if (row.ppid === parent && row.pid !== pid) {
        found.push({ pid: row.pid, command: row.command })
        queue.push(row.pid)
      }
    }
  }
  return found
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
