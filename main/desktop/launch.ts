/**
 * `npm start`: the desktop app where Electron can open a window, otherwise the headless server
 * with the reason. Pure decision + the freshness check that decides whether to build first.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export type ElectronProbe = { path: string } | { missing: string }

export type LaunchDecision = { mode: 'desktop'; electron: string } | { mode: 'headless'; reason: string }

export function decideLaunch(input: {
  electron: ElectronProbe
  platform: string
  env: Record<string, string | undefined>
}): LaunchDecision {
  const { env } = input
  if (env.COS_LOCAL_HEADLESS === '1') return { mode: 'headless', reason: 'COS_LOCAL_HEADLESS=1 asks for headless' }
  if ('missing' in input.electron) {
    return { mode: 'headless', reason: `the Electron binary is not installed: ${input.electron.missing}` }
  }
  // macOS and Windows always have a window server for a logged-in user; Linux needs X11 or Wayland.
  if (input.platform !== 'darwin' && input.platform !== 'win32' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { mode: 'headless', reason: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' }
  }
  return { mode: 'desktop', electron: input.electron.path }
}

/** What a desktop start that died early means for the user (then `npm start` runs headless). */
export function earlyExitReason(code: number | null, signal: string | null): string {
  return signal ? `Electron stopped at start (signal ${signal})` : `Electron exited at start with code ${code}`
}

function newest(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = 0
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

function oldest(paths: string[]): number {
  let earliest = Infinity
  for (const path of paths) earliest = existsSync(path) ? Math.min(earliest, statSync(path).mtimeMs) : 0
  return earliest
}

/** The build outputs the shell needs (relative to the package root). */
export const BUILD_OUTPUTS = ['out/main/main.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html']
export const BUILD_INPUTS = ['main', 'preload', 'renderer', 'electron.vite.config.ts', 'package.json']

/** Whether `out/` is missing or older than any source file. */
export function needsBuild(root: string): boolean {
  const built = oldest(BUILD_OUTPUTS.map((path) => join(root, path)))
  const source = Math.max(...BUILD_INPUTS.map((path) => newest(join(root, path))))
  return built === 0 || built < source
}

/** `--data DIR` / `--data=DIR` among the desktop app's arguments (`npm start -- --data DIR`). */
export function dataDirArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg.startsWith('--data=')) return arg.slice('--data='.length) || undefined
    if (arg === '--data' && argv[i + 1] && !argv[i + 1]!.startsWith('--')) return argv[i + 1]
  }
  return undefined
}
