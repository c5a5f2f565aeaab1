/** Where COS Local keeps its data when the user does not say (--data DIR). */
import { homedir, platform } from 'node:os'
import { join } from 'node:path'

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
