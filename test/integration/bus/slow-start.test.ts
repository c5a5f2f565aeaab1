/**
 * A function whose process is slow to start (as a cold start is on a loaded machine: function
 * processes run at low priority, and 2-3.5 s was seen at load 8) still runs its first event:
 * the function's timeout counts from when its runtime can take the invocation, not from the
 * spawn. Before, the start ate the default 3 s timeout, the handler never started, and the
 * retry came a minute later. The process here starts through a wrapper that waits 2 s; the
 * function's timeout is 1 s. A real server on port 0, real child processes.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { detectRuntimes } from '../../../main/functions/runtime-choice.ts'
import type { Invocation, InvocationDetail } from '../../../preload/contract/invocations.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'
import { cosClient } from '../../helpers/cos-server.ts'

const Bucket = 'slow-1250000000'
const Region = 'ap-guangzhou'
let app: App
let dir: string
let cos: COS
const api = appApiClient(() => app)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cos-local-slow-start-'))
  const wrapper = join(dir, 'slow-node.sh')
  writeFileSync(wrapper, `#!/bin/sh\nsleep 2\nexec "${process.execPath}" "$@"\n`)
  chmodSync(wrapper, 0o755)
  const found = detectRuntimes()
  app = await createApp({
    dataDir: join(dir, 'data'),
    port: 0,
    uiPort: 0,
    runtimes: { node: { ...found.node, command: wrapper, description: 'slow to start' }, python: found.python }
  })
  cos = cosClient(app.cosPort)
  await cos.putBucket({ Bucket, Region })
  await api('POST', '/api/functions', {
    name: 'quick',
    timeout: 1,
    code: {
      type: 'files',
      files: { 'index.js': 'exports.main_handler = async (event) => event.Records[0].cos.cosObject.key\n' }
    }
  })
  await api('POST', '/api/triggers', { functionName: 'quick', bucket: Bucket, event: 'cos:ObjectCreated:*' })
})

afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(process.platform === 'win32')('a function slow to start', () => {
  it('runs its first event: the start does not count against its timeout', async () => {
    await cos.putObject({ Bucket, Region, Key: 'first.txt', Body: 'x' })
    let found: Invocation | undefined
    for (let i = 0; i < 300 && !(found && found.status !== 'running' && found.status !== 'pending'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      const list = await api<{ invocations: Invocation[] }>('GET', '/api/invocations?function=quick&key=first.txt')
      found = list.invocations[0]
    }
    const detail = await api<InvocationDetail>('GET', `/api/invocations/${found!.requestId}`)
    expect(detail.logs.map((line) => line.text).join('\n')).not.toContain('timed out')
    expect(found).toMatchObject({ status: 'succeeded', attempts: 1 })
  })
})
