/**
 * The whole path with the official COS SDK against createApp: put / copy / multipart /
 * delete / delete-multiple run the matching Node and Python functions (created and
 * wired through the app API), whose logs hold the event; non-matching keys are explained;
 * a PUT never waits for its function.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { FunctionInfo } from '../../../preload/contract/functions.ts'
import type { PushMessage } from '../../../preload/contract/push.ts'
import { createApp, type App } from '../../../main/app.ts'
import type { InvocationDetail, Invocation } from '../../../preload/contract/invocations.ts'
import type { ExplainResponse, Trigger } from '../../../preload/contract/triggers.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'
import { cosClient } from '../../helpers/cos-server.ts'
import { untilInvocationPushed } from '../../helpers/push-messages.ts'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'functions')
const Bucket = 'events-1250000000'
const Region = 'ap-guangzhou'
let app: App
let dataDir: string
let cos: COS
let disabled: Trigger

const api = appApiClient(() => app)

const waitFor = (fn: string, key: string, since: number) =>
  api<Invocation>('GET', `/api/wait?function=${fn}&key=${encodeURIComponent(key)}&since=${since}&timeout=30000`)

async function logsOf(invocation: Invocation): Promise<string> {
  const detail = await api<InvocationDetail>('GET', `/api/invocations/${invocation.requestId}`)
  return detail.logs.map((line) => line.text).join('\n')
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-triggers-'))
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
  cos = cosClient(app.cosPort)
  await cos.putBucket({ Bucket, Region })
  const node = { type: 'dir', path: join(fixtures, 'node-handlers') }
  await api('POST', '/api/functions', { name: 'node-print', handler: 'index.async_handler', code: node })
  await api('POST', '/api/functions', {
    name: 'slow-fn',
    handler: 'index.five_seconds_handler',
    timeout: 10,
    code: node
  })
  await api('POST', '/api/functions', {
    name: 'py-print',
    runtime: 'python3',
    code: { type: 'dir', path: join(fixtures, 'python-handlers') }
  })
  await api('POST', '/api/triggers', {
    functionName: 'node-print',
    bucket: Bucket,
    event: 'cos:ObjectCreated:*',
    prefix: 'in/'
  })
  await api('POST', '/api/triggers', {
    functionName: 'py-print',
    bucket: 'events',
    event: 'cos:ObjectRemove:*',
    prefix: 'in/'
  })
  await api('POST', '/api/triggers', {
    functionName: 'slow-fn',
    bucket: Bucket,
    event: 'cos:ObjectCreated:Put',
    prefix: 'slow/'
  })
  disabled = await api<Trigger>('POST', '/api/triggers', {
    functionName: 'py-print',
    bucket: Bucket,
    event: 'cos:ObjectCreated:Put',
    prefix: 'off/',
    enabled: false
  })
})

afterAll(async () => {
  await app.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('COS triggers end to end (cos-nodejs-sdk-v5)', () => {
  it('PUT runs the Node function with the exact SCF event', async () => {
    const since = app.clock.now()
    const put = await cos.putObject({
      Bucket,
      Region,
      Key: 'in/a.txt',
      Body: 'hello',
      ContentType: 'text/plain',
      Headers: { 'x-cos-meta-team': 'blue' }
    })
    const invocation = await waitFor('node-print', 'in/a.txt', since)
    expect(invocation.status).toBe('succeeded')
    expect(invocation.eventName).toBe('cos:ObjectCreated:Put')
    const detail = await api<InvocationDetail>('GET', `/api/invocations/${invocation.requestId}`)
    const record = (detail.event as { Records: Record<string, Record<string, unknown>>[] }).Records[0]!
    expect(record.cos).toMatchObject({
      cosSchemaVersion: '1.0',
      cosObject: {
        key: '/1250000000/events/in/a.txt',
        size: 5,
        url: 'http://events-1250000000.cos.ap-guangzhou.myqcloud.com/in/a.txt',
        meta: {
          'x-cos-request-id': put.headers!['x-cos-request-id'],
          'Content-Type': 'text/plain',
          'x-cos-meta-team': 'blue'
        }
      },
      cosBucket: { region: 'gz', name: 'events', appid: '1250000000' }
    })
    expect(record.event).toMatchObject({
      eventName: 'cos:ObjectCreated:Put',
      eventSource: 'qcs::cos',
      reservedInfo: ''
    })
    expect(Number.isInteger(record.event!.eventTime)).toBe(true)
    expect(await logsOf(invocation)).toContain('"key":"/1250000000/events/in/a.txt"')
  })

  it('Copy and CompleteMultipartUpload run it with their event names', async () => {
    const since = app.clock.now()
    await cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'in/b.txt',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/in/a.txt`
    })
    const { UploadId } = await cos.multipartInit({ Bucket, Region, Key: 'in/c.bin' })
    const part = await cos.multipartUpload({
      Bucket,
      Region,
      Key: 'in/c.bin',
      UploadId,
      PartNumber: 1,
      Body: Buffer.alloc(1024, 7)
    })
    await cos.multipartComplete({
      Bucket,
      Region,
      Key: 'in/c.bin',
      UploadId,
      Parts: [{ PartNumber: 1, ETag: part.ETag }]
    })
    const copy = await waitFor('node-print', 'in/b.txt', since)
    const multipart = await waitFor('node-print', 'in/c.bin', since)
    expect(copy.eventName).toBe('cos:ObjectCreated:Copy')
    expect(multipart.eventName).toBe('cos:ObjectCreated:CompleteMultipartUpload')
    expect(await logsOf(multipart)).toContain('"eventName":"cos:ObjectCreated:CompleteMultipartUpload"')
  })

  it('Delete and each key of Delete Multiple run the Python function', async () => {
    const since = app.clock.now()
    await cos.deleteObject({ Bucket, Region, Key: 'in/a.txt' })
    await cos.deleteMultipleObject({ Bucket, Region, Objects: [{ Key: 'in/b.txt' }, { Key: 'in/c.bin' }] })
    for (const key of ['in/a.txt', 'in/b.txt', 'in/c.bin']) {
      const invocation = await waitFor('py-print', key, since)
      expect(invocation.status).toBe('succeeded')
      expect(invocation.eventName).toBe('cos:ObjectRemove:Delete')
      expect(await logsOf(invocation)).toContain(`"key": "/1250000000/events/${key}"`)
    }
  })

  it('does not run functions for non-matching keys and explains why', async () => {
    await cos.putObject({ Bucket, Region, Key: 'out/x.txt', Body: 'x' })
    await cos.putObject({ Bucket, Region, Key: 'off/y.txt', Body: 'y' })
    let explained: ExplainResponse | undefined
    for (let i = 0; i < 200 && !explained?.events.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      explained = await api<ExplainResponse>('GET', `/api/explain?bucket=${Bucket}&key=off/y.txt`)
    }
    const off = explained!.events[0]!.explanations.find((e) => e.triggerId === disabled.id)!
    expect(off.failed).toEqual(['enabled'])
    const out = await api<ExplainResponse>('GET', `/api/explain?bucket=${Bucket}&key=out/x.txt`)
    const byNode = out.events[0]!.explanations.find((e) => e.functionName === 'node-print')!
    expect(byNode.matched).toBe(false)
    expect(byNode.failed).toEqual(['prefix'])
    expect(out.events[0]!.invocations).toEqual([])
    const pyInvocations = await api<{ invocations: Invocation[] }>(
      'GET',
      '/api/invocations?function=py-print&key=off/y.txt'
    )
    expect(pyInvocations.invocations).toEqual([])
  })

  it('a PUT returns while its 5 s function is still running', async () => {
    const since = app.clock.now()
    await cos.putObject({ Bucket, Region, Key: 'slow/job.txt', Body: 'work' })
    const atResponse = await api<{ invocations: Invocation[] }>(
      'GET',
      '/api/invocations?function=slow-fn&key=slow/job.txt'
    )
    expect(
      atResponse.invocations.every((invocation) => invocation.status === 'pending' || invocation.status === 'running')
    ).toBe(true)
    const done = await waitFor('slow-fn', 'slow/job.txt', since)
    expect(done.status).toBe('succeeded')
    expect(done.message).toBe('"/1250000000/events/slow/job.txt"')
  })
})

describe('more of the functions API', () => {
  it('streams matched events, invocation states and log lines over the push socket', async () => {
    const messages: PushMessage[] = []
    const socket = new WebSocket(`${app.appApiUrl.replace('http', 'ws')}/api/push?token=${app.token}`)
    socket.on('message', (data) => messages.push(...(JSON.parse(String(data)) as PushMessage[])))
    await new Promise((resolve) => socket.once('open', resolve))
    const since = app.clock.now()
    await cos.putObject({ Bucket, Region, Key: 'in/pushed.txt', Body: 'p' })
    const invocation = await waitFor('node-print', 'in/pushed.txt', since)
    await untilInvocationPushed(messages, invocation.requestId)
    socket.close()
    const matched = messages.find((m) => m.type === 'event-matched' && m.key === 'in/pushed.txt')
    expect(matched).toMatchObject({
      name: 'cos:ObjectCreated:Put',
      invoked: [{ functionName: 'node-print', requestId: invocation.requestId }]
    })
    const states = messages.flatMap((m) =>
      m.type === 'invocation' && m.invocation.requestId === invocation.requestId ? [m.invocation.status] : []
    )
    expect(states).toEqual(['running', 'succeeded'])
    const lines = messages.flatMap((m) =>
      m.type === 'log' && 'requestId' in m && m.requestId === invocation.requestId ? m.lines.map((l) => l.text) : []
    )
    expect(lines[0]).toBe(`START RequestId:${invocation.requestId}`)
    expect(lines.at(-1)).toMatch(/^Report RequestId:/)
  })

  it('the thumbnail template reads the upload back from COS Local and writes thumbnails/<key>.txt', async () => {
    await api('POST', '/api/functions', {
      name: 'thumbs',
      code: { type: 'template', template: 'nodejs-thumbnail' },
      env: { COS_LOCAL_ENDPOINT: app.cosEndpoint }
    })
    await api('POST', '/api/triggers', {
      functionName: 'thumbs',
      bucket: Bucket,
      event: 'cos:ObjectCreated:Put',
      prefix: 'pics/'
    })
    const since = app.clock.now()
    await cos.putObject({ Bucket, Region, Key: 'pics/cat.jpg', Body: Buffer.from('not really a jpeg') })
    const invocation = await waitFor('thumbs', 'pics/cat.jpg', since)
    expect(invocation.status).toBe('succeeded')
    const thumb = await cos.getObject({ Bucket, Region, Key: 'thumbnails/pics/cat.jpg.txt' })
    expect(thumb.Body.toString()).toMatch(/^thumbnail of pics\/cat.jpg: 17 bytes/)
  })

  it('updates a function with PATCH (new revision) and rejects unknown fields', async () => {
    const before = await api<FunctionInfo>('GET', '/api/functions/node-print')
    const after = await api<FunctionInfo>('PATCH', '/api/functions/node-print', {
      memory: 256,
      env: { GREETING: 'again' }
    })
    expect(after).toMatchObject({ memory: 256, env: { GREETING: 'again' } })
    expect(after.revision).not.toBe(before.revision)
    await expect(api('PATCH', '/api/functions/node-print', { memory: '256' })).rejects.toThrow(
      /400 InvalidRequest: memory/
    )
    await expect(
      api('POST', '/api/triggers', {
        functionName: 'node-print',
        bucket: Bucket,
        event: 'cos:ObjectCreated:Put',
        colour: 'red'
      })
    ).rejects.toThrow(/400 InvalidRequest/)
    await expect(api('GET', '/api/functions/nope')).rejects.toThrow(/404 ResourceNotFound.Function/)
  })
})
