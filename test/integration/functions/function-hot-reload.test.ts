/**
 * Hot reload against real child processes: a function created from a folder watches it;
 * an edit recycles the warm instance and the next invocation runs the new code, with a
 * "code reloaded" line in its run log. A broken edit keeps the previous code running.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { CodeWatcher } from '../../../main/functions/code-watcher.ts'
import type { FunctionInfo } from '../../../preload/contract/functions.ts'
import type { InvocationDetail } from '../../../preload/contract/invocations.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'

let app: App
let dataDir: string
let codeDir: string
const api = appApiClient(() => app)
const handler = (answer: string) => `exports.main_handler = async () => ({ answer: ${JSON.stringify(answer)} })\n`

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-reload-'))
  codeDir = mkdtempSync(join(tmpdir(), 'cos-local-reload-code-'))
  writeFileSync(join(codeDir, 'index.js'), handler('first'))
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
})

afterAll(async () => {
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(codeDir, { recursive: true, force: true })
})

const invoke = () => api<InvocationDetail>('POST', '/api/functions/live/invoke', {})

async function revisionChange(from: string): Promise<string> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const { revision } = await api<FunctionInfo>('GET', '/api/functions/live')
    if (revision !== from) return revision
    if (Date.now() > deadline) throw new Error('the function was not reloaded within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

it('reloads a folder function on save: the next invocation runs the new code', async () => {
  const created = await api<FunctionInfo>('POST', '/api/functions', {
    name: 'live',
    code: { type: 'dir', path: codeDir }
  })
  expect(created.sourceDir).toBe(codeDir)
  const first = await invoke()
  expect(first.message).toBe('{"answer":"first"}')
  expect((await api<{ functions: { name: string; warm: number }[] }>('GET', '/api/function-status')).functions).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: 'live', warm: 1 })])
  )

  writeFileSync(join(codeDir, 'index.js'), handler('second'))
  const revision = await revisionChange(created.revision)
  const second = await invoke()
  expect(second.message).toBe('{"answer":"second"}')
  const reloadLine = second.logs.find((line) => line.text.includes('[cos-local] code reloaded from'))
  expect(reloadLine?.text).toContain(`${codeDir} (revision ${revision}); warm instances recycled`)
  // The note is for one invocation only.
  const third = await invoke()
  expect(third.logs.some((line) => line.text.includes('code reloaded'))).toBe(false)
})

it('keeps running the previous code when the folder loses the handler file, and says why', async () => {
  const before = await api<FunctionInfo>('GET', '/api/functions/live')
  unlinkSync(join(codeDir, 'index.js'))
  writeFileSync(join(codeDir, 'other.js'), '// not the handler\n')
  await new Promise((resolve) => setTimeout(resolve, 800))
  const result = await invoke()
  expect(result.message).toBe('{"answer":"second"}')
  expect(result.logs.some((line) => /reload from .* failed: The code has no index\.js/.test(line.text))).toBe(true)
  expect((await api<FunctionInfo>('GET', '/api/functions/live')).revision).toBe(before.revision)

  writeFileSync(join(codeDir, 'index.js'), handler('third'))
  await revisionChange(before.revision)
  expect((await invoke()).message).toBe('{"answer":"third"}')
})

it('ignores changes inside COS Local’s own data folder and debounces a burst into one reload', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'cos-local-watch-'))
  mkdirSync(join(folder, 'data'))
  const reloads: string[] = []
  const watcher = new CodeWatcher({
    reload: (name) => reloads.push(name),
    ignoreUnder: join(folder, 'data'),
    debounceMs: 100
  })
  try {
    watcher.watch('fn', folder)
    for (let i = 0; i < 5; i++) writeFileSync(join(folder, 'data', `db-${i}`), 'x')
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(reloads).toEqual([])
    for (let i = 0; i < 5; i++) writeFileSync(join(folder, 'index.js'), `// ${i}\n`)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(reloads).toEqual(['fn'])
  } finally {
    watcher.stop()
    rmSync(folder, { recursive: true, force: true })
  }
})
