/**
 * The event bus on a real database and real child processes: matching triggers run their
 * Node and Python functions with the SCF event; non-matching ones don't and the explainer
 * says why; a throwing function is retried at the (scaled) SCF times and dead-lettered.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEventSystem, type EventSystem } from '../../../main/event-system.ts'
import { createSystemClock } from '../../../main/core/clock.ts'
import { openDatabase, type Db } from '../../../main/store/db.ts'
import { EventQueue } from '../../../main/store/event-queue.ts'
import { commitEvents, objectEvent } from '../../helpers/object-events.ts'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'functions')
let dataDir: string
let db: Db
let queue: EventQueue
let events: EventSystem
// 600×: SCF's 1-minute retry takes 100 ms.
const clock = createSystemClock(600)

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-bus-'))
  db = openDatabase(dataDir)
  queue = new EventQueue(db)
  events = createEventSystem({ db, queue, dataDir, clock, appid: '1250000000', region: 'ap-guangzhou' })
  events.start()
  events.functions.create({
    name: 'node-print',
    handler: 'index.async_handler',
    code: { type: 'dir', path: join(fixtures, 'node-handlers') }
  })
  events.functions.create({
    name: 'py-print',
    runtime: 'python3',
    handler: 'index.main_handler',
    code: { type: 'dir', path: join(fixtures, 'python-handlers') }
  })
  events.functions.create({
    name: 'thrower',
    handler: 'index.throw_handler',
    code: { type: 'dir', path: join(fixtures, 'node-handlers') }
  })
  events.triggers.add({ functionName: 'node-print', bucket: 'photos', event: 'cos:ObjectCreated:*', prefix: 'img/' })
  events.triggers.add({
    functionName: 'py-print',
    bucket: 'photos-1250000000',
    event: 'cos:ObjectRemove:*',
    suffix: '.jpg'
  })
  events.triggers.add({ functionName: 'thrower', bucket: 'photos', event: 'cos:ObjectCreated:Copy', prefix: 'fail/' })
})

afterAll(async () => {
  await events.stop()
  db.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('event bus', () => {
  it('runs the Node function for a matching upload with the SCF event', async () => {
    const since = clock.now()
    commitEvents(queue, [objectEvent('cos:ObjectCreated:Put', 'img/cat.jpg')])
    const invocation = await events.waitFor({
      functionName: 'node-print',
      key: 'img/cat.jpg',
      since,
      timeoutMs: 20_000
    })
    expect(invocation?.status).toBe('succeeded')
    expect(invocation?.eventName).toBe('cos:ObjectCreated:Put')
    const detail = events.invocations.get(invocation!.requestId)
    const record = (
      detail.event as { Records: { cos: { cosObject: { key: string } }; event: { eventQueue: string } }[] }
    ).Records[0]!
    expect(record.cos.cosObject.key).toBe('/1250000000/photos/img/cat.jpg')
    expect(record.event.eventQueue).toBe('qcs:0:scf:gz:appid/1250000000:default.node-print.$DEFAULT')
    const text = detail.logs.map((line) => line.text).join('\n')
    expect(text).toContain(`START RequestId:${invocation!.requestId}`)
    expect(text).toContain('"key":"/1250000000/photos/img/cat.jpg"')
    expect(text).toMatch(/Report RequestId:\S+ Duration:\d+ms Memory:128MB MemUsage:/)
    expect(detail.attemptList).toHaveLength(1)
    expect(detail.attemptList[0]!.outcome).toBe('succeeded')
  })

  it('runs the Python function for each deleted key of a Delete Multiple', async () => {
    const since = clock.now()
    commitEvents(queue, [
      objectEvent('cos:ObjectRemove:Delete', 'a.jpg', { size: 0 }),
      objectEvent('cos:ObjectRemove:Delete', 'b/c.jpg', { size: 0 })
    ])
    const [a, c] = await Promise.all([
      events.waitFor({ functionName: 'py-print', key: 'a.jpg', since, timeoutMs: 20_000 }),
      events.waitFor({ functionName: 'py-print', key: 'b/c.jpg', since, timeoutMs: 20_000 })
    ])
    expect(a?.status).toBe('succeeded')
    expect(c?.status).toBe('succeeded')
    const logs = events.invocations.logs({ requestId: c!.requestId }).map((line) => line.text)
    expect(logs.some((line) => line.includes('"eventName": "cos:ObjectRemove:Delete"'))).toBe(true)
  })

  it('does not invoke for a non-matching prefix, suffix or a disabled trigger, and explains why', async () => {
    const disabled = events.triggers.add({
      functionName: 'node-print',
      bucket: 'photos',
      event: 'cos:ObjectCreated:Put',
      prefix: 'off/',
      enabled: false
    })
    commitEvents(queue, [
      objectEvent('cos:ObjectCreated:Put', 'doc/readme.txt'),
      objectEvent('cos:ObjectRemove:Delete', 'notes.txt'),
      objectEvent('cos:ObjectCreated:Put', 'off/x.png')
    ])
    await waitUntil(() => events.recentEvents({ key: 'off/x.png' }).length > 0)

    const prefix = events.explain('photos', 'doc/readme.txt')
    expect(prefix.events[0]!.invocations).toEqual([])
    const forNode = prefix.events[0]!.explanations.find(
      (e) => e.functionName === 'node-print' && e.triggerId !== disabled.id
    )!
    expect(forNode.failed).toEqual(['prefix'])
    expect(forNode.reasons[0]).toBe('key "doc/readme.txt" does not start with prefix "img/"')

    const suffix = events
      .explain('photos-1250000000', 'notes.txt')
      .events[0]!.explanations.find((e) => e.functionName === 'py-print')!
    expect(suffix.failed).toEqual(['suffix'])

    const off = events.explain('photos', 'off/x.png').events[0]!.explanations.find((e) => e.triggerId === disabled.id)!
    expect(off.failed).toEqual(['enabled'])
    expect(events.invocations.list({ key: 'doc/readme.txt' })).toEqual([])
    expect(events.invocations.list({ key: 'off/x.png' })).toEqual([])
  })

  it('explains a key with no recent event against the current triggers', () => {
    const result = events.explain('photos', 'img/never.jpg')
    expect(result.events).toEqual([])
    const put = result.hypothetical.find((h) => h.event === 'cos:ObjectCreated:Put')!
    expect(put.explanations.find((e) => e.functionName === 'node-print' && e.matched)).toBeTruthy()
  })

  it('retries a throwing function at +1 and +2 minutes (scaled), then dead-letters it', async () => {
    const since = clock.now()
    commitEvents(queue, [objectEvent('cos:ObjectCreated:Copy', 'fail/x.bin')])
    await waitUntil(
      () => events.invocations.list({ functionName: 'thrower', key: 'fail/x.bin', status: 'dead-lettered' }).length > 0,
      30_000
    )
    const [dead] = events.invocations.list({ functionName: 'thrower', key: 'fail/x.bin' })
    expect(dead!.createdAt).toBeGreaterThanOrEqual(since)
    const detail = events.invocations.get(dead!.requestId)
    expect(detail.attemptList.map((attempt) => attempt.outcome)).toEqual(['error', 'error', 'error'])
    const [first, second, third] = detail.attemptList
    expect(second!.startedAt - first!.finishedAt!).toBeGreaterThanOrEqual(60_000)
    expect(third!.startedAt - second!.finishedAt!).toBeGreaterThanOrEqual(120_000)
    expect(detail.logs.filter((line) => line.text.startsWith('ERROR RequestId:'))).toHaveLength(3)
    expect(events.invocations.deadLetters().map((inv) => inv.requestId)).toContain(dead!.requestId)
  })

  it('test-invokes a function with a COS test template for a real bucket and key', async () => {
    const result = await events.functions.invoke('node-print', {
      template: 'cos:ObjectRemove:Delete',
      bucket: 'photos',
      key: 'x/y.txt'
    })
    expect(result.status).toBe('succeeded')
    expect(JSON.parse(result.message!)).toMatchObject({
      key: '/1250000000/photos/x/y.txt',
      eventName: 'cos:ObjectRemove:Delete'
    })
    expect(result.logs.at(-1)!.text).toMatch(/^Report RequestId:/)
  })

  it('a failing test invoke is not retried', async () => {
    const result = await events.functions.invoke('thrower', {})
    expect(result.status).toBe('failed')
    expect(result.attemptList).toHaveLength(1)
  })
})

async function waitUntil(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
