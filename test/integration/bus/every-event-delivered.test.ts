/**
 * Every acknowledged PUT whose event matches a trigger runs the function, once: PUTs back to
 * back (c=1), in bursts at c=16 with short pauses, and after idle gaps, against a real server
 * on port 0 and a no-op Node function in real child processes that appends each event's key to
 * a file. These mixes cross the bus's fast paths: a group commit's staged events, the warm
 * instance's same-turn invoke, invocations queued behind a busy instance, coalesced attempt ends
 * (alone or riding in the PUTs' group commit), each event's history summary.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'
import { cosClient } from '../../helpers/cos-server.ts'

const Bucket = 'stress-1250000000'
const Region = 'ap-guangzhou'
let app: App
let dir: string
let cos: COS
let out: string
const api = appApiClient(() => app)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cos-local-every-event-'))
  out = join(dir, 'starts.txt')
  app = await createApp({ dataDir: join(dir, 'data'), port: 0, uiPort: 0 })
  cos = cosClient(app.cosPort)
  await cos.putBucket({ Bucket, Region })
  await api('POST', '/api/functions', {
    name: 'noop',
    // generous: the test is about delivery, and the machine may be loaded
    timeout: 30,
    env: { OUT: out },
    code: {
      type: 'files',
      files: {
        'index.js':
          "const fs = require('node:fs')\nexports.main_handler = async (event) => { fs.appendFileSync(process.env.OUT, event.Records[0].cos.cosObject.key + '\\n'); return 'ok' }\n"
      }
    }
  })
  await api('POST', '/api/triggers', {
    functionName: 'noop',
    bucket: Bucket,
    event: 'cos:ObjectCreated:*',
    prefix: 'hot/'
  })
})

afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const put = (Key: string): Promise<unknown> => cos.putObject({ Bucket, Region, Key, Body: 'event' })

/** How many times each handler started, by key. */
function starts(): Map<string, number> {
  const counts = new Map<string, number>()
  if (!existsSync(out)) return counts
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (!line) continue
    const key = line.replace(/^\/\d+\/[^/]+\//, '')
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

describe('every matching event is delivered', () => {
  it('back to back, in bursts at c=16 and after idle gaps: each handler starts exactly once', async () => {
    const keys: string[] = []
    for (let i = 0; i < 100; i++) {
      keys.push(`hot/b2b/${i}`)
      await put(`hot/b2b/${i}`)
      if (i % 25 === 24) await sleep(5)
    }
    for (let b = 0; b < 4; b++) {
      const burst = Array.from({ length: 50 }, (_, i) => `hot/burst/${b}/${i}`)
      keys.push(...burst)
      let next = 0
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < burst.length) await put(burst[next++]!)
        })
      )
      await sleep(b * 5)
    }
    for (let i = 0; i < 10; i++) {
      keys.push(`hot/idle/${i}`)
      await put(`hot/idle/${i}`)
      await sleep(20)
    }
    await put('cold/not-matched') // no trigger: no handler
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline && keys.some((key) => !starts().has(key))) await sleep(50)
    await sleep(200) // a duplicate start would show up now
    const counts = starts()
    expect(keys.filter((key) => !counts.has(key))).toEqual([])
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([])
    expect(counts.size).toBe(keys.length)
    // and every attempt's end was recorded (most rode in the PUTs' group commits): each event's
    // history says succeeded, none is left in flight
    const settled = Date.now() + 30_000
    let page = (await api('GET', `/api/events?prefix=hot/&limit=1000`)) as {
      events: { key: string; status: string; attempts: number }[]
    }
    while (Date.now() < settled && page.events.some((event) => event.status !== 'succeeded')) {
      await sleep(50)
      page = (await api('GET', `/api/events?prefix=hot/&limit=1000`)) as typeof page
    }
    expect(page.events.map((event) => event.key).sort()).toEqual([...keys].sort())
    expect(page.events.filter((event) => event.status !== 'succeeded' || event.attempts !== 1)).toEqual([])
  }, 120_000)
})
