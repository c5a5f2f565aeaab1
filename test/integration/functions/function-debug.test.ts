/**
 * Debug mode against real child processes: `cos-local function debug NAME` starts a warm
 * Node instance with the inspector on a free port (its /json/version answers), suspends the
 * timeout (a 2 s handler with a 1 s timeout succeeds), and `--off` puts the timeout back.
 * Python without debugpy gets a clear message saying how to install it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { runClientCommand } from '../../../main/cli/client-commands.ts'
import type { FunctionDebugInfo } from '../../../preload/contract/functions.ts'
import type { InvocationDetail } from '../../../preload/contract/invocations.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'

let app: App
let dataDir: string
let codeDir: string
const api = appApiClient(() => app)

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runClientCommand([...argv, '--endpoint', app.appApiUrl, '--token', app.token], {
    out: (text) => (out += text),
    err: (text) => (err += text)
  })
  return { code, out, err }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-debug-'))
  codeDir = mkdtempSync(join(tmpdir(), 'cos-local-debug-code-'))
  writeFileSync(
    join(codeDir, 'index.js'),
    'exports.main_handler = async () => { await new Promise((r) => setTimeout(r, 2000)); return { slept: true } }\n'
  )
  writeFileSync(join(codeDir, 'index.py'), 'def main_handler(event, context):\n    return 1\n')
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
  await api('POST', '/api/functions', { name: 'sleepy', timeout: 1, code: { type: 'dir', path: codeDir } })
  await api('POST', '/api/functions', { name: 'pysleepy', runtime: 'python3', code: { type: 'dir', path: codeDir } })
})

afterAll(async () => {
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(codeDir, { recursive: true, force: true })
})

const invoke = (name: string) => api<InvocationDetail>('POST', `/api/functions/${name}/invoke`, {})

it('starts a Node function with the inspector on a free port and suspends its timeout', async () => {
  expect((await invoke('sleepy')).message).toMatch(/timed out after 1 seconds/)

  const result = await cli('function', 'debug', 'sleepy')
  expect(result.code).toBe(0)
  const port = Number(/Port: 127\.0\.0\.1:(\d+)/.exec(result.out)?.[1])
  expect(port).toBeGreaterThan(0)
  expect(result.out).toMatch(/DevTools: devtools:\/\/devtools\/.*ws=127\.0\.0\.1:\d+\//)
  expect(result.out).toContain('"request": "attach"')
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { Browser: string }
  expect(version.Browser).toMatch(/^node\.js\/v\d+/)

  const slow = await invoke('sleepy')
  expect(slow.status).toBe('succeeded')
  expect(slow.message).toBe('{"slept":true}')

  const info = await api<FunctionDebugInfo>('POST', '/api/functions/sleepy/debug', { enabled: true })
  expect(info).toMatchObject({ enabled: true, port, vscode: { type: 'node', port, localRoot: codeDir } })

  const off = await cli('function', 'debug', 'sleepy', '--off')
  expect(off.out).toMatch(/Debug mode of sleepy is off/)
  expect((await invoke('sleepy')).message).toMatch(/timed out after 1 seconds/)
})

const hasDebugpy = spawnSync('python3', ['-c', 'import debugpy']).status === 0

it.skipIf(hasDebugpy)('says how to install debugpy when Python has none', async () => {
  const result = await cli('function', 'debug', 'pysleepy')
  expect(result.code).not.toBe(0)
  expect(result.err).toMatch(
    /debugpy is not installed for \S*python3\. Install it with `\S*python3 -m pip install debugpy`/
  )
})
