/**
 * Event bus: PUT → handler start latency and events/s, with a no-op Node function attached to
 * the bench bucket by a COS trigger. The function appends "<key> <epoch ms, fractional>" to a
 * file at handler start; the bench compares that with the time it sent the PUT (both clocks
 * are performance.timeOrigin + performance.now(), the wall clock with sub-ms precision).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { BUCKET, Client, objectPath } from './client.ts'
import { forEachConcurrent, percentile } from './load.ts'
import type { RunningServer } from './servers.ts'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const run = promisify(execFile)

export interface EventResult {
  coldMs: number
  warmP50Ms: number
  warmP99Ms: number
  warmSamples: number
  eventsPerSec: number
  burstEvents: number
  note?: string
}

const HANDLER = `'use strict'
const fs = require('node:fs')
exports.main_handler = async (event) => {
  const at = performance.timeOrigin + performance.now()
  const key = event.Records[0].cos.cosObject.key
  fs.appendFileSync(process.env.BENCH_OUT, key + ' ' + at + '\\n')
  return 'ok'
}
`

const wallNow = (): number => performance.timeOrigin + performance.now()

async function cli(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(root, 'bin', 'cos-local.js'), ...args, '--data', dataDir])
  return stdout
}

/** Handler start times by key suffix (the event key is `/appid/bucket/key`). */
function readStarts(file: string): Map<string, number> {
  const starts = new Map<string, number>()
  if (!existsSync(file)) return starts
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const space = line.lastIndexOf(' ')
    if (space > 0) starts.set(line.slice(0, space).replace(/^\/\d+\/[^/]+\//, ''), Number(line.slice(space + 1)))
  }
  return starts
}

async function waitFor(file: string, keys: string[], timeoutMs: number): Promise<Map<string, number>> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const starts = readStarts(file)
    if (keys.every((k) => starts.has(k))) return starts
    if (performance.now() > deadline) {
      const missing = keys.filter((k) => !starts.has(k))
      throw new Error(
        `handler did not start for ${missing.length} of ${keys.length} keys within ${timeoutMs} ms (first: ${missing[0]})`
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

export async function benchEvents(server: RunningServer, options: { count: number }): Promise<EventResult> {
  const dataDir = server.dataDir
  const fnDir = join(dataDir, '..', `${dataDir.split('/').pop()}-fn`)
  mkdirSync(fnDir, { recursive: true })
  writeFileSync(join(fnDir, 'index.js'), HANDLER)
  const outFile = join(fnDir, 'starts.txt')
  const client = new Client(server.port, 16)
  try {
    await client.createBucket()
    await cli(
      dataDir,
      'function',
      'create',
      'bench-noop',
      '--dir',
      fnDir,
      '--runtime',
      'nodejs',
      '--env',
      `BENCH_OUT=${outFile}`
    )
    await cli(
      dataDir,
      'trigger',
      'add',
      '--function',
      'bench-noop',
      '--bucket',
      BUCKET,
      '--events',
      'cos:ObjectCreated:*'
    )

    const body = Buffer.from('event')
    const putAndWait = async (key: string): Promise<number> => {
      const sent = wallNow()
      await client.ok('PUT', objectPath(key), { body })
      const starts = await waitFor(outFile, [key], 30_000)
      return starts.get(key)! - sent
    }

    const coldMs = await putAndWait('cold/0')
    for (let i = 0; i < 20; i++) await putAndWait(`warmup/${i}`)
    const warm: number[] = []
    const samples = Math.min(options.count, 300)
    for (let i = 0; i < samples; i++) warm.push(await putAndWait(`warm/${i}`))
    warm.sort((a, b) => a - b)

    const keys = Array.from({ length: options.count }, (_, i) => `burst/${i}`)
    const started = wallNow()
    await forEachConcurrent(keys.length, 16, async (i) => {
      await client.ok('PUT', objectPath(keys[i]!), { body })
    })
    const starts = await waitFor(outFile, keys, 120_000)
    const last = Math.max(...keys.map((k) => starts.get(k)!))
    return {
      coldMs,
      warmP50Ms: percentile(warm, 0.5),
      warmP99Ms: percentile(warm, 0.99),
      warmSamples: warm.length,
      eventsPerSec: keys.length / ((last - started) / 1000),
      burstEvents: keys.length
    }
  } finally {
    client.close()
  }
}
