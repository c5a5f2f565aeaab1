/**
 * At-least-once across kill -9: an event committed before the crash is delivered after
 * restart, and a delivery killed mid-attempt is recorded as interrupted and run again.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createEventSystem, type EventSystem } from '../../../main/event-system.ts'
import { createSystemClock } from '../../../main/core/clock.ts'
import { openDatabase, type Db } from '../../../main/store/db.ts'
import { EventQueue } from '../../../main/store/event-queue.ts'
import { objectEvent } from '../../helpers/object-events.ts'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'functions')
const host = join(import.meta.dirname, '..', '..', 'helpers', 'bus-host.ts')
const dirs: string[] = []
const open: { events: EventSystem; db: Db }[] = []

afterEach(async () => {
  for (const { events, db } of open.splice(0)) {
    await events.stop()
    db.close()
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function boot(dataDir: string, speed = 1): EventSystem {
  const db = openDatabase(dataDir)
  const events = createEventSystem({
    db,
    queue: new EventQueue(db),
    dataDir,
    clock: createSystemClock(speed),
    appid: '1250000000',
    region: 'ap-guangzhou'
  })
  open.push({ events, db })
  return events
}

async function setUp(handler: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-recovery-'))
  dirs.push(dataDir)
  const events = boot(dataDir)
  events.functions.create({
    name: 'fn',
    handler,
    timeout: 30,
    code: { type: 'dir', path: join(fixtures, 'node-handlers') }
  })
  events.triggers.add({ functionName: 'fn', bucket: 'photos', event: 'cos:ObjectCreated:*' })
  const { db } = open.pop()!
  await events.stop()
  db.close()
  return dataDir
}

function runHost(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', host, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => onLine?.(chunk.trim(), () => child.kill('SIGKILL')))
    child.on('exit', (_code, signal) => resolve(signal))
  })
}

describe('recovery after kill -9', () => {
  it('delivers an event committed right before the crash', async () => {
    const dataDir = await setUp('index.async_handler')
    expect(await runHost(['commit', dataDir, 'before-crash.txt'])).toBe('SIGKILL')
    const events = boot(dataDir)
    events.start()
    const invocation = await events.waitFor({ functionName: 'fn', key: 'before-crash.txt', timeoutMs: 20_000 })
    expect(invocation?.status).toBe('succeeded')
    expect(events.recentEvents({ key: 'before-crash.txt' })).toHaveLength(1)
  })

  it('re-runs a delivery that was mid-attempt, recording the interrupted attempt', async () => {
    const dataDir = await setUp('index.slow_handler')
    const signal = await runHost(['run', dataDir, 'mid-attempt.txt'], (line, kill) => {
      if (line.includes('RUNNING')) kill()
    })
    expect(signal).toBe('SIGKILL')
    const events = boot(dataDir)
    events.start()
    const invocation = await events.waitFor({ functionName: 'fn', key: 'mid-attempt.txt', timeoutMs: 20_000 })
    expect(invocation?.status).toBe('succeeded')
    const detail = events.invocations.get(invocation!.requestId)
    expect(detail.attemptList.map((attempt) => attempt.outcome)).toEqual(['interrupted', 'succeeded'])
    expect(events.invocations.list({ key: 'mid-attempt.txt' })).toHaveLength(1)
  })

  it('keeps the retry schedule of a failed delivery across a restart', async () => {
    const dataDir = await setUp('index.throw_handler')
    const first = boot(dataDir, 600)
    first.start()
    const queue = new EventQueue(open.at(-1)!.db)
    queue.db.transaction(() => queue.append([objectEvent('cos:ObjectCreated:Put', 'retry.txt')]))()
    queue.notify()
    let retrying = first.invocations.list({ key: 'retry.txt', status: 'retrying' })
    for (let i = 0; i < 500 && retrying.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      retrying = first.invocations.list({ key: 'retry.txt', status: 'retrying' })
    }
    expect(retrying[0]!.nextAttemptAt).toBeGreaterThan(retrying[0]!.updatedAt)
    const { db } = open.pop()!
    await first.stop()
    db.close()

    const second = boot(dataDir, 600)
    second.start()
    let dead = second.invocations.list({ key: 'retry.txt', status: 'dead-lettered' })
    for (let i = 0; i < 1000 && dead.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      dead = second.invocations.list({ key: 'retry.txt', status: 'dead-lettered' })
    }
    expect(second.invocations.get(dead[0]!.requestId).attemptList.map((attempt) => attempt.outcome)).toEqual([
      'error',
      'error',
      'error'
    ])
  })

  it('rebuilds the history row of an unmatched event whose deferred write the crash took', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-recovery-'))
    dirs.push(dataDir)
    const lines: string[] = []
    expect(await runHost(['unmatched', dataDir, 'nobody-listens.txt'], (line) => lines.push(line))).toBe('SIGKILL')
    expect(lines.join('\n')).toContain('HANDLED, HISTORY ROWS 0')
    const events = boot(dataDir)
    events.start()
    // rebuilt within a second of the start without a read of the history (the database read directly)
    const stored = open.at(-1)!.db.prepare('SELECT COUNT(*) AS n FROM recent_events WHERE object_key = ?')
    const count = (): number => (stored.get('nobody-listens.txt') as { n: number }).n
    expect(count()).toBe(0)
    for (let i = 0; i < 300 && count() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(count()).toBe(1)
    const rows = events.recentEvents({ key: 'nobody-listens.txt' })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ name: 'cos:ObjectCreated:Put', bucket: 'photos-1250000000', explanations: [] })
    expect(events.inspector.page({ includeUnmatched: true }, {}).events.map((row) => [row.key, row.status])).toEqual([
      ['nobody-listens.txt', 'unmatched']
    ])
  })
})
