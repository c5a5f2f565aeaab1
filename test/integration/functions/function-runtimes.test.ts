/**
 * Which programs run the functions (main/functions/runtime-choice.ts) reach the runner: the Node
 * command forks the bootstrap (in the desktop app, the app's own binary as Node), and a missing
 * Python is reported in /api/info for the Functions view.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { detectRuntimes } from '../../../main/functions/runtime-choice.ts'
import type { AppInfo } from '../../../preload/contract/info.ts'
import type { InvokeFunctionResponse } from '../../../preload/contract/functions.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'

let app: App
let dir: string
const api = appApiClient(() => app)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cos-local-runtimes-'))
  // A stand-in for "another Node": records that it was used, then runs the real one.
  const wrapper = join(dir, 'node-wrapper.sh')
  writeFileSync(wrapper, `#!/bin/sh\necho "$@" > "${join(dir, 'used')}"\nexec "${process.execPath}" "$@"\n`)
  chmodSync(wrapper, 0o755)
  const found = detectRuntimes({ ...process.env, COS_LOCAL_PYTHON: join(dir, 'no-such-python') })
  app = await createApp({
    dataDir: join(dir, 'data'),
    port: 0,
    uiPort: 0,
    runtimes: { node: { ...found.node, command: wrapper, description: 'wrapper' }, python: found.python }
  })
})

afterAll(async () => {
  await app.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(process.platform === 'win32')('function runtimes', () => {
  it('forks Node functions with the chosen Node command', async () => {
    await api('POST', '/api/functions', { name: 'hello', code: { type: 'template', template: 'nodejs-print-event' } })
    const result = await api<InvokeFunctionResponse>('POST', '/api/functions/hello/invoke', {
      template: 'cos:ObjectCreated:Put'
    })
    expect(result.status).toBe('succeeded')
    expect(existsSync(join(dir, 'used'))).toBe(true)
    expect(readFileSync(join(dir, 'used'), 'utf8')).toContain('node-bootstrap.cjs')
  })

  it('says in /api/info when Python is missing and how to fix it', async () => {
    const info = await api<AppInfo>('GET', '/api/info')
    expect(info.runtimes?.nodejs).toBe('wrapper')
    expect(info.runtimes?.python3.command).toBeUndefined()
    expect(info.runtimes?.python3.message).toContain('COS_LOCAL_PYTHON')
  })
})
