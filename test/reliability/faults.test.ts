/**
 * Faults suite.
 * - Function faults: while functions spin, allocate past their memory limit, flood 100 MB of
 *   output or fork-bomb, every fault is contained and the COS API's latency stays within 2× of
 *   idle (p50 of PUT+GET against the app in a child process; asserted at full size, reported
 *   in short mode, where a few samples on a busy machine are too noisy for a speed goal).
 * - Full disk: the data folder on a small tmpfs (mounted when running as root on Linux;
 *   skipped with the reason otherwise): writes fail with a COS error, nothing acknowledged is
 *   lost (also across kill -9), and writes succeed again once space returns.
 */
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startAppProcess, type AppProcess } from './helpers/app-process.ts'
import { apiCall, send } from './helpers/http.ts'
import { FULL, report, sized } from './helpers/mode.ts'

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex')
const apps: AppProcess[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const app of apps) await app.kill9().catch(() => undefined)
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const FAULTS = `
const { spawn } = require('node:child_process')
exports.spin = async () => { for (;;) {} }
exports.allocate = async () => { const keep = []; for (;;) keep.push(Buffer.alloc(8 * 1024 * 1024, 1)) }
exports.flood = async () => { const line = 'x'.repeat(1023); for (let i = 0; i < 102400; i++) console.log(line); return 'flooded' }
exports.fork = async () => {
  spawn('sh', ['-c', 'b() { if [ "$1" -gt 0 ]; then b $(($1 - 1)) & b $(($1 - 1)) & fi; sleep 20; }; b 11'], { stdio: 'ignore' })
  await new Promise((resolve) => setTimeout(resolve, 20000))
}
`

async function latencies(cos: string, bucket: string, count: number): Promise<number[]> {
  const body = randomBytes(4096)
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    const put = await send(cos, 'PUT', `/${bucket}/lat-${i % 20}`, { body })
    const get = await send(cos, 'GET', `/${bucket}/lat-${i % 20}`)
    times.push(performance.now() - started)
    expect(put.status).toBe(200)
    expect(get.status).toBe(200)
  }
  return times
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

describe.skipIf(process.platform !== 'linux')('function faults', () => {
  it('COS latency stays within 2x of idle while a function spins, allocates, floods or forks', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-faults-'))
    dirs.push(dataDir)
    const app = await startAppProcess(dataDir)
    apps.push(app)
    const bucket = 'faults-1250000000'
    expect((await send(app.cos, 'PUT', `/${bucket}`)).status).toBe(200)
    const kinds = (process.env.COS_LOCAL_FAULTS ?? 'spin,allocate,flood,fork').split(',')
    for (const handler of kinds)
      await apiCall(app.api, app.token, 'POST', '/api/functions', {
        name: `fault-${handler}`,
        handler: `index.${handler}`,
        // spin must time out; allocate and fork must get far enough to hit their limits first,
        // although they run niced (below COS Local) and get little CPU on a busy machine
        timeout: handler === 'allocate' || handler === 'fork' ? 30 : 3,
        memory: 128,
        code: { type: 'files', files: { 'index.js': FAULTS, 'package.json': '{"type":"commonjs"}' } }
      })
    const samples = sized(20, 150)
    await latencies(app.cos, bucket, sized(5, 20)) // warm up
    const figures: Record<string, unknown> = { samples }
    const outcomes: string[] = []
    const ratios: Record<string, number> = {}
    for (const handler of kinds) {
      const idle = await latencies(app.cos, bucket, samples)
      let stop = false
      const loop = (async () => {
        while (!stop) {
          const answer = await apiCall(app.api, app.token, 'POST', `/api/functions/fault-${handler}/invoke`, {
            event: {}
          }).catch((error: Error) => ({ failed: error.message.slice(0, 120) }))
          outcomes.push(JSON.stringify(answer))
        }
      })()
      await new Promise((resolve) => setTimeout(resolve, 1000)) // the fault is under way
      const loaded = await latencies(app.cos, bucket, samples)
      stop = true
      await loop
      ratios[handler] = percentile(loaded, 50) / percentile(idle, 50)
      figures[handler] = {
        idleP50: +percentile(idle, 50).toFixed(2),
        loadedP50: +percentile(loaded, 50).toFixed(2),
        loadedP95: +percentile(loaded, 95).toFixed(2),
        ratioP50: +ratios[handler].toFixed(2)
      }
    }
    report('faults-latency', figures)
    const text = outcomes.join(' ')
    if (kinds.includes('allocate')) expect(text).toContain('Memory limit exceeded')
    if (kinds.includes('spin')) expect(text).toMatch(/timed out/)
    if (kinds.includes('fork')) expect(text).toContain('processes at once')
    // A speed goal: checked at full size only (npm run test:reliability), reported always.
    if (FULL) for (const [handler, ratio] of Object.entries(ratios)) expect(ratio, handler).toBeLessThanOrEqual(2)
  }, 900_000)
})

const canMount = process.platform === 'linux' && process.getuid?.() === 0

describe('full disk', () => {
  it.skipIf(!canMount)(
    'writes fail with a COS error, nothing acknowledged is lost, writes work again once space returns',
    async () => {
      const mountPoint = mkdtempSync(join(tmpdir(), 'cos-local-fulldisk-'))
      dirs.push(mountPoint)
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint])
      try {
        const ballast = join(mountPoint, 'ballast')
        writeFileSync(ballast, Buffer.alloc(6 * 1024 * 1024))
        const dataDir = join(mountPoint, 'data')
        mkdirSync(dataDir)
        let app = await startAppProcess(dataDir)
        apps.push(app)
        const bucket = 'full-1250000000'
        expect((await send(app.cos, 'PUT', `/${bucket}`)).status).toBe(200)
        const acked = new Map<string, string>()
        let failure: { status: number; body: string } | undefined
        for (let i = 0; i < 200 && !failure; i++) {
          const body = randomBytes(i % 3 === 0 ? 20_000 : 700_000)
          const answer = await send(app.cos, 'PUT', `/${bucket}/obj-${i}`, { body })
          if (answer.status === 200) acked.set(`obj-${i}`, md5(body))
          else failure = { status: answer.status, body: answer.body.toString() }
        }
        expect(failure, 'the disk never filled').toBeDefined()
        expect(failure!.status).toBe(503)
        expect(failure!.body).toMatch(
          /<Code>ServiceUnavailable<\/Code><Message>The disk holding the COS Local data folder is full/
        )
        // small writes also fail cleanly while full, and the server keeps serving reads
        const small = await send(app.cos, 'PUT', `/${bucket}/small`, { body: 'x' })
        expect([200, 503]).toContain(small.status)
        if (small.status === 200) acked.set('small', md5(Buffer.from('x')))
        for (const [key, sum] of acked)
          expect(md5((await send(app.cos, 'GET', `/${bucket}/${key}`)).body), key).toBe(sum)

        // kill -9 while full, restart: still everything acknowledged
        await app.kill9()
        rmSync(ballast) // space returns
        app = await startAppProcess(dataDir)
        apps.push(app)
        let lost = 0
        for (const [key, sum] of acked) if (md5((await send(app.cos, 'GET', `/${bucket}/${key}`)).body) !== sum) lost++
        const again = randomBytes(500_000)
        const put = await send(app.cos, 'PUT', `/${bucket}/after`, { body: again })
        expect(put.status).toBe(200)
        expect(md5((await send(app.cos, 'GET', `/${bucket}/after`)).body)).toBe(md5(again))
        report('faults-full-disk', { tmpfsMiB: 24, acknowledged: acked.size, lost, failureStatus: failure!.status })
        expect(lost).toBe(0)
        await app.kill9()
      } finally {
        execFileSync('umount', ['-l', mountPoint])
      }
    },
    300_000
  )
})
