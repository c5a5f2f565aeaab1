/** Starts the real headless product (`cos-local serve`) in a child process on free ports. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface HeadlessServer {
  uiUrl: string
  cosEndpoint: string
  dataDir: string
  output: () => string
  stop(): Promise<void>
}

export async function startHeadless(extraArgs: string[] = []): Promise<HeadlessServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-e2e-'))
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/cos-local.js', 'serve', '--data', dataDir, '--port', '0', '--ui-port', '0', ...extraArgs],
    // Answers outside the contract's response schemas fail loudly (500 InvalidResponse) under test.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COS_LOCAL_CHECK_RESPONSES: '1' } }
  )
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000)
    const check = (): void => {
      if (/UI\s+http/.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)))
  })
  const uiUrl = /UI\s+(\S+)/.exec(output)![1]!
  const cosEndpoint = /COS endpoint\s+(\S+)/.exec(output)![1]!
  return {
    uiUrl,
    cosEndpoint,
    dataDir,
    output: () => output,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
