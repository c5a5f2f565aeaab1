import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import type {
  DeadLetterListResponse,
  EventDetail,
  HistoryPage,
  ReplayResponse,
  Timeline
} from '../../../preload/contract/history.ts'
import type { Invocation } from '../../../preload/contract/invocations.ts'
import { runClientCommand } from '../../../main/cli/client-commands.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'

const BUCKET = 'inspect-1250000000'

describe('event history, inspector, timeline, replay, redrive and fault injection', () => {
  let app: App
  let dataDir: string
  const api = appApiClient(() => app)

  async function put(key: string, body = 'x'): Promise<void> {
    const response = await fetch(`${app.cosEndpoint}/${BUCKET}/${key}`, { method: 'PUT', body })
    expect(response.status).toBe(200)
  }

  async function settled(requestId: string, statuses = ['succeeded', 'dead-lettered', 'failed']): Promise<Invocation> {
    for (let i = 0; i < 300; i++) {
      const { invocations } = await api<{ invocations: Invocation[] }>('GET', `/api/invocations?requestId=${requestId}`)
      if (invocations[0] && statuses.includes(invocations[0].status)) return invocations[0]
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`invocation ${requestId} did not settle`)
  }

  async function historyOf(query: string): Promise<HistoryPage> {
    return api<HistoryPage>('GET', `/api/events${query}`)
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cos-local-inspector-'))
    // 1 emulated minute = 50 ms, so SCF's retries (+1 min, +2 min) take 150 ms.
    app = await createApp({ dataDir, port: 0, uiPort: 0, clockSpeed: 1200 })
    await fetch(`${app.cosEndpoint}/${BUCKET}`, { method: 'PUT' })
    await api('POST', '/api/functions', {
      name: 'printer',
      code: { type: 'template', template: 'nodejs-print-event' }
    })
    await api('POST', '/api/functions', {
      name: 'thrower',
      runtime: 'nodejs',
      code: { type: 'files', files: { 'index.js': "exports.main_handler = async () => { throw new Error('boom') }" } }
    })
    await api('POST', '/api/triggers', {
      functionName: 'printer',
      bucket: BUCKET,
      event: 'cos:ObjectCreated:*',
      prefix: 'img/'
    })
    await api('POST', '/api/triggers', {
      functionName: 'thrower',
      bucket: BUCKET,
      event: 'cos:ObjectCreated:*',
      prefix: 'bad/'
    })
  })

  afterAll(async () => {
    await app?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('keeps every event, hides unmatched ones by default and counts them', async () => {
    await put('img/a.jpg')
    await put('other/b.txt')
    await put('other/c.txt')
    app.events.drain()
    const page = await historyOf('')
    expect(page.events.map((event) => event.key)).toEqual(['img/a.jpg'])
    expect(page.hiddenUnmatched).toBe(2)
    expect(page.retention).toBe(100_000)
    const all = await historyOf('?unmatched=1')
    expect(all.events.map((event) => event.key)).toEqual(['other/c.txt', 'other/b.txt', 'img/a.jpg'])
    const unmatched = await historyOf('?status=unmatched')
    expect(unmatched.events.every((event) => event.status === 'unmatched')).toBe(true)
    expect((await historyOf('?unmatched=1&prefix=other/')).total).toBe(2)
    expect((await historyOf('?unmatched=1&q=c.txt')).events[0]!.key).toBe('other/c.txt')
    expect((await historyOf('?function=printer')).events).toHaveLength(1)
  })

  it('shows an event with its request, delivered JSON, explanations naming triggers, and attempts', async () => {
    const page = await historyOf('?function=printer')
    const seq = page.events[0]!.seq
    await settled(page.events[0]!.invocations[0]!)
    const detail = await api<EventDetail>('GET', `/api/events/${seq}`)
    expect(detail.request).toMatchObject({ method: 'PUT', path: `/${BUCKET}/img/a.jpg`, status: 200 })
    expect(detail.request.requestId).toBe(detail.event.requestId)
    const record = (
      detail.delivered as { Records: { cos: { cosSchemaVersion: string; cosObject: { key: string } } }[] }
    ).Records[0]!
    expect(record.cos.cosSchemaVersion).toBe('1.0')
    expect(record.cos.cosObject.key).toBe('/1250000000/inspect/img/a.jpg')
    const thrower = detail.explanations.find((item) => item.functionName === 'thrower')!
    expect(thrower.matched).toBe(false)
    expect(thrower.rule).toMatchObject({ prefix: 'bad/', event: 'cos:ObjectCreated:*' })
    expect(detail.invocations[0]!.attemptList[0]!.outcome).toBe('succeeded')
    expect(detail.event.status).toBe('succeeded')
  })

  it('dead-letters a throwing function after its retries, shows it on the timeline, and redrives it', async () => {
    await put('bad/x.bin')
    app.events.drain()
    const page = await historyOf('?function=thrower')
    const original = await settled(page.events[0]!.invocations[0]!)
    expect(original.status).toBe('dead-lettered')
    expect(original.attempts).toBe(3)
    const row = (await historyOf('?status=dead-lettered')).events[0]!
    expect(row).toMatchObject({ key: 'bad/x.bin', status: 'dead-lettered', attempts: 3 })
    expect(row.lastError).toContain('boom')

    const timeline = await api<Timeline>('GET', `/api/timeline?bucket=${BUCKET}&key=bad/x.bin`)
    const kinds = timeline.entries.map((entry) => entry.kind)
    expect(kinds[0]).toBe('request')
    expect(kinds.filter((kind) => kind === 'attempt')).toHaveLength(3)
    expect(kinds).toContain('retry')
    expect(kinds.at(-1)).toBe('dead-letter')

    // fix the code, then redrive
    await api('PATCH', '/api/functions/thrower', {
      code: { type: 'files', files: { 'index.js': "exports.main_handler = async () => 'fixed'" } }
    })
    const letters = await api<DeadLetterListResponse>('GET', '/api/dead-letters')
    expect(letters.invocations.map((item) => item.requestId)).toContain(original.requestId)
    const redriven = await api<Invocation>('POST', `/api/dead-letters/${original.requestId}/redrive`)
    expect(redriven.replayOf).toBe(original.requestId)
    expect((await settled(redriven.requestId)).status).toBe('succeeded')
    const after = await api<EventDetail>('GET', `/api/events/${row.seq}`)
    expect(after.event.status).toBe('succeeded')
    expect(after.invocations.map((item) => item.replayOf)).toEqual([null, original.requestId])
  })

  it('replays an event to a chosen function, linked to the event', async () => {
    const unmatched = (await historyOf('?status=unmatched')).events[0]!
    const replay = await api<ReplayResponse>('POST', `/api/events/${unmatched.seq}/replay`, { function: 'printer' })
    expect(replay.invocations).toHaveLength(1)
    expect(replay.invocations[0]!.replayOf).toBe(`event:${unmatched.seq}`)
    expect((await settled(replay.invocations[0]!.requestId)).status).toBe('succeeded')
    const detail = await api<EventDetail>('GET', `/api/events/${unmatched.seq}`)
    expect(detail.event.status).toBe('succeeded')
  })

  it('injects failures and timeouts, marks them, and pauses and resumes the bus', async () => {
    await api('PUT', '/api/faults/printer', { failNext: 1, timeoutNext: 1 })
    await put('img/fault.jpg')
    app.events.drain()
    const row = (await historyOf('?q=img/fault.jpg')).events[0]!
    const invocation = await settled(row.invocations[0]!)
    expect(invocation.status).toBe('succeeded')
    expect(invocation.attempts).toBe(3)
    const detail = await api<EventDetail>('GET', `/api/events/${row.seq}`)
    expect(detail.invocations[0]!.attemptList.map((attempt) => [attempt.outcome, attempt.injected])).toEqual([
      ['timeout', 'timeout'],
      ['error', 'fail'],
      ['succeeded', null]
    ])
    const timeline = await api<Timeline>('GET', `/api/timeline?requestId=${invocation.requestId}`)
    expect(timeline.entries.filter((entry) => entry.injected)).toHaveLength(2)

    expect((await api<{ paused: boolean }>('PUT', '/api/bus', { paused: true })).paused).toBe(true)
    await put('img/held.jpg')
    app.events.drain()
    const held = (await historyOf('?q=img/held.jpg')).events[0]!
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect((await api<{ held: number }>('GET', '/api/bus')).held).toBe(1)
    expect((await settled(held.invocations[0]!, ['pending'])).status).toBe('pending')
    await api('PUT', '/api/bus', { paused: false })
    expect((await settled(held.invocations[0]!)).status).toBe('succeeded')
  })

  it('lists events and dead letters, replays and redrives from the CLI', async () => {
    const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
      let out = ''
      let err = ''
      const code = await runClientCommand([...argv, '--endpoint', app.appApiUrl, '--token', app.token], {
        out: (text) => (out += text),
        err: (text) => (err += text)
      })
      return { code, out, err }
    }
    await api('PATCH', '/api/functions/thrower', {
      code: { type: 'files', files: { 'index.js': "exports.main_handler = async () => { throw new Error('again') }" } }
    })
    await put('bad/cli.bin')
    app.events.drain()
    const row = (await historyOf('?q=bad/cli.bin')).events[0]!
    const dead = await settled(row.invocations[0]!)
    expect(dead.status).toBe('dead-lettered')
    const listed = await cli('events', 'list', '--function', 'thrower')
    expect(listed.code).toBe(0)
    expect(listed.out).toContain('bad/cli.bin')
    expect(listed.out).toContain('dead-lettered')
    const letters = await cli('deadletters', 'list')
    expect(letters.out).toContain(dead.requestId)
    const replay = await cli('events', 'replay', String(row.seq), '--function', 'printer')
    expect(replay.out).toMatch(/Replayed event #\d+ to printer: RequestId/)
    const redrive = await cli('deadletters', 'redrive', dead.requestId)
    expect(redrive.code).toBe(0)
    expect(redrive.out).toContain(`Redriven ${dead.requestId}`)
    const missing = await cli('events', 'replay', '99999999')
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('No event #99999999')
    expect((await cli('bus', 'status')).out).toContain('Delivery running')
  })

  it('refuses bad filters and unknown events with readable errors', async () => {
    await expect(historyOf('?status=weird')).rejects.toThrow(/status/)
    await expect(api('GET', '/api/events/999999')).rejects.toThrow(/No event #999999/)
    await expect(api('PUT', '/api/faults/printer', { failNext: -1 })).rejects.toThrow(/failNext/)
  })
})
