/** Start / kill -9 the app in a child process (app-child.ts) on a data folder. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const CHILD = join(import.meta.dirname, 'app-child.ts')

export interface AppProcess {
  child: ChildProcess
  cos: string
  api: string
  token: string
  kill9(): Promise<void>
  stop(): Promise<void>
}

export function startAppProcess(dataDir: string, flags: string[] = []): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, ...flags], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let err = ''
  child.stderr?.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /READY (\{.*\})/.exec(out)
      if (!match) return
      const info = JSON.parse(match[1]!) as { cos: string; api: string; token: string }
      resolve({
        child,
        ...info,
        async kill9() {
          child.kill('SIGKILL')
          await exited
        },
        async stop() {
          child.kill('SIGTERM')
          await exited
        }
      })
    })
    child.once('exit', (code) => reject(new Error(`app child exited early with ${code}: ${err}`)))
  })
}
