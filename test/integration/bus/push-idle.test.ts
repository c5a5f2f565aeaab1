/**
 * The bus with the app API's real push hub: while no UI is connected it hands the hub no
 * messages at all (no announcements, history rows or log batches are built) yet stores the
 * event's history row and the invocation's logs as always; a UI that connects afterwards gets
 * the pushes for new events, log lines included.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { PushHub } from '../../../main/app-api/push-hub.ts'
import { createEventSystem, type EventSystem } from '../../../main/event-system.ts'
import { createSystemClock } from '../../../main/core/clock.ts'
import { openDatabase, type Db } from '../../../main/store/db.ts'
import { EventQueue } from '../../../main/store/event-queue.ts'
import type { PushMessage, PushSink } from '../../../preload/contract/push.ts'
import { commitEvents, objectEvent } from '../../helpers/object-events.ts'
import { untilInvocationPushed } from '../../helpers/push-messages.ts'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'functions')
const clock = createSystemClock(1)
let dataDir: string
let db: Db
let queue: EventQueue
let events: EventSystem
let hub: PushHub
let sockets: WebSocketServer
/** Every message the bus handed the hub (the hub itself drops them while nobody listens). */
const offered: PushMessage[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-push-idle-'))
  db = openDatabase(dataDir)
  queue = new EventQueue(db)
  hub = new PushHub()
  const tap: PushSink = {
    get listening() {
      return hub.listening
    },
    send(message) {
      offered.push(message)
      hub.send(message)
    }
  }
  sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  sockets.on('connection', (socket) => hub.add(socket))
  await new Promise((resolve) => sockets.once('listening', resolve))
  events = createEventSystem({ db, queue, dataDir, clock, appid: '1250000000', region: 'ap-guangzhou', push: tap })
  events.start()
  events.functions.create({
    name: 'node-print',
    handler: 'index.async_handler',
    code: { type: 'dir', path: join(fixtures, 'node-handlers') }
  })
  events.triggers.add({ functionName: 'node-print', bucket: 'photos', event: 'cos:ObjectCreated:*', prefix: 'img/' })
})

afterAll(async () => {
  hub.close()
  await new Promise((resolve) => sockets.close(resolve))
  await events.stop()
  db.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function runOne(key: string) {
  const since = clock.now()
  commitEvents(queue, [objectEvent('cos:ObjectCreated:Put', key)])
  const invocation = await events.waitFor({ functionName: 'node-print', key, since, timeoutMs: 20_000 })
  expect(invocation?.status).toBe('succeeded')
  return invocation!
}

describe('push with no UI connected', () => {
  it('builds no push messages but stores the history row and the logs', async () => {
    expect(hub.listening).toBe(false)
    const invocation = await runOne('img/quiet.jpg')
    await sleep(100) // longer than the log pusher's 16 ms batching
    expect(offered).toEqual([])
    const detail = events.invocations.get(invocation.requestId)
    expect(detail.logs[0]?.text).toBe(`START RequestId:${invocation.requestId}`)
    expect(detail.logs.at(-1)?.text).toMatch(/^Report RequestId:/)
    const row = events.inspector.detail(invocation.eventSeq!).event
    expect(row).toMatchObject({ key: 'img/quiet.jpg', status: 'succeeded', functions: ['node-print'] })
  })

  it('pushes new events, states and log lines to a UI that connects afterwards', async () => {
    const received: PushMessage[] = []
    const port = (sockets.address() as AddressInfo).port
    const client = new WebSocket(`ws://127.0.0.1:${port}`)
    client.on('message', (data) => received.push(...(JSON.parse(String(data)) as PushMessage[])))
    await new Promise((resolve) => client.once('open', resolve))
    for (let i = 0; i < 100 && !hub.listening; i++) await sleep(10)
    expect(hub.listening).toBe(true)
    const invocation = await runOne('img/seen.jpg')
    const mine = invocation.requestId
    await untilInvocationPushed(received, mine)
    client.close()
    expect(received.find((m) => m.type === 'event-matched')).toMatchObject({
      key: 'img/seen.jpg',
      invoked: [{ functionName: 'node-print', requestId: mine }]
    })
    expect(received).toContainEqual({ type: 'objects-changed', bucket: 'photos-1250000000', keys: ['img/seen.jpg'] })
    const rows = received.flatMap((m) =>
      m.type === 'history' && m.event.key === 'img/seen.jpg' ? [m.event.status] : []
    )
    expect(rows.at(-1)).toBe('succeeded')
    const states = received.flatMap((m) =>
      m.type === 'invocation' && m.invocation.requestId === mine ? [m.invocation.status] : []
    )
    expect(states).toEqual(['running', 'succeeded'])
    const lines = received.flatMap((m) =>
      m.type === 'log' && 'requestId' in m && m.requestId === mine ? m.lines.map((l) => l.text) : []
    )
    expect(lines[0]).toBe(`START RequestId:${mine}`)
    expect(lines.at(-1)).toMatch(/^Report RequestId:/)
  })
})
