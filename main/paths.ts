/** Where COS Local keeps its data when the user does not say (--data DIR). */
import { existsSync } from 'node:fs'
import { homedir, platform } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COS_LOCAL_DATA) return env.COS_LOCAL_DATA
  const home = homedir()
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'cos-local')
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'cos-local')
    default:
      return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'cos-local')
  }
}

/** The file a running instance writes so CLI commands can find it. */
export function instanceFile(dataDir: string): string {
  return join(dataDir, 'instance.json')
}

/**
 * The folder holding package.json: found by walking up from this module, which runs from
 * main/ (tsx), out/main/ (the bundle) or app.asar/out/main/ (the packaged app).
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return from
  }
}
