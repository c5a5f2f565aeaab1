/** Runs the real `cos-local serve` in a child process, for tests of the headless shell. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

export interface ServeProcess {
  child: ChildProcess
  output: () => string
  cosEndpoint: string
  uiUrl: string
  /** Send a signal and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export async function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(root, 'bin', 'cos-local.js'), 'serve', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/UI\s+http/.test(output)) {
        clearInterval(timer)
        resolve()
      }
    }, 20)
    void exited.then((code) => {
      clearInterval(timer)
      reject(new Error(`serve exited with ${code} before it was ready:\n${output}`))
    })
  })
  return {
    child,
    output: () => output,
    cosEndpoint: /COS endpoint\s+(\S+)/.exec(output)![1]!,
    uiUrl: /UI\s+(\S+)/.exec(output)![1]!,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal)
      return exited
    }
  }
}

/** Runs a one-shot CLI command and collects its output. */
export async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'cos-local.js'), ...args], { cwd: root })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, stdout, stderr }
}
