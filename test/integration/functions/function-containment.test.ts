/**
 * Function containment against real processes: everything a function starts dies with its
 * invocation (the instance stays warm), on recycle, on timeout and at shutdown; a fork bomb
 * hits the per-instance process limit with a clear run-log error; 100 MB of output is
 * bounded and the platform lines (START, Response/ERROR, END, Report) are kept.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateFunctionConfig, type FunctionConfigInput } from '../../../main/core/functions/function-config.ts'
import { FunctionRunner, type RunSpec } from '../../../main/functions/runner.ts'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'functions')
const runner = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 4 })
afterAll(() => runner.stop())

const spec = (runtime: 'nodejs' | 'python3', handler: string, extra: Partial<FunctionConfigInput> = {}): RunSpec => ({
  config: validateFunctionConfig({
    name: `contain-${runtime === 'nodejs' ? 'node' : 'py'}-${handler.replace(/_/g, '-')}`,
    runtime,
    handler: `index.${handler}`,
    ...extra
  }),
  codeDir: join(fixtures, runtime === 'nodejs' ? 'containment-node' : 'containment-python'),
  revision: '1'
})

let seq = 0
const run = (s: RunSpec, event: unknown = {}) => runner.run(s, { requestId: `contain-${++seq}`, event })

/** Live processes whose command line contains `sleep <token>` (a unique number per test). */
function sleepers(token: number): number {
  let count = 0
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1')
      const state = /\) (\S)/.exec(readFileSync(`/proc/${name}/stat`, 'latin1'))?.[1]
      if (cmdline.includes(`${token}`) && state !== 'Z') count++
    } catch {
      // gone
    }
  }
  return count
}

const uniqueToken = (): number => 6000 + Math.floor(Math.random() * 3000) + seq / 1000

/**
 * Polls until `check` holds. Killed processes die when the kernel next runs them: hundreds of
 * niced ones (a fork bomb) on a busy machine can take seconds, so the deadline is generous.
 */
async function waitFor(check: () => boolean, ms = 30_000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return check()
}

describe.skipIf(process.platform !== 'linux')('processes a function starts', () => {
  it('Node: 50 background sleeps (children, orphans, setsid daemons) die when the invocation ends; the instance stays warm', async () => {
    const token = uniqueToken()
    const s = spec('nodejs', 'spawn_sleepers', { timeout: 30 })
    const first = await run(s, { token })
    expect(first.outcome).toBe('succeeded')
    expect(sleepers(token)).toBe(0)
    const again = await run(s, { token })
    expect(again.cold).toBe(false)
    expect(sleepers(token)).toBe(0)
  })

  it('an instance runs below COS Local: nice 10, and so is its session’s scheduling group (autogroup)', async () => {
    const result = await run(spec('nodejs', 'priority'))
    expect(result.outcome).toBe('succeeded')
    const { nice, autogroup } = JSON.parse(result.message) as { nice: number; autogroup: string }
    expect(nice).toBe(10)
    // Each session is its own group where the kernel has autogroups; the group's nice must follow.
    if (autogroup) expect(autogroup).toMatch(/nice 10$/)
  })

  it('Node ES module: processes started through named child_process imports die too, right after a quiet invocation', async () => {
    const token = uniqueToken()
    const s = { ...spec('nodejs', 'spawn_sleepers', { timeout: 30 }) }
    s.config = validateFunctionConfig({ name: 'contain-node-esm', handler: 'esm.spawn_sleepers', timeout: 30 })
    // The quiet invocation is checked (the first one always is); the next one within a second
    // is checked only because the runtime counted the processes it started.
    expect((await run(s, { quiet: true })).outcome).toBe('succeeded')
    expect((await run(s, { token })).outcome).toBe('succeeded')
    expect(sleepers(token)).toBe(0)
  })

  it('Python: subprocesses and shell orphans die when the invocation ends', async () => {
    const token = uniqueToken()
    const result = await run(spec('python3', 'spawn_sleepers', { timeout: 30 }), { token })
    expect(result.outcome).toBe('succeeded')
    expect(sleepers(token)).toBe(0)
  })

  it('a timeout kills the instance and what it started', async () => {
    const token = uniqueToken()
    const result = await run(spec('nodejs', 'spawn_and_hang', { timeout: 1 }), { token })
    expect(result.outcome).toBe('timeout')
    expect(await waitFor(() => sleepers(token) === 0)).toBe(true)
  })

  it('shutdown kills running invocations and everything they started', async () => {
    const token = uniqueToken()
    const own = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now })
    const pending = own.run(spec('nodejs', 'spawn_and_hang', { timeout: 30 }), {
      requestId: 'stop-1',
      event: { token }
    })
    expect(await waitFor(() => sleepers(token) === 1)).toBe(true)
    await own.stop()
    expect(await waitFor(() => sleepers(token) === 0)).toBe(true)
    expect((await pending).outcome).not.toBe('succeeded')
  })

  it('a fork bomb hits the per-instance process limit: ProcessLimitExceeded in the run log, nothing left', async () => {
    const token = uniqueToken()
    const result = await run(spec('nodejs', 'fork_bomb', { timeout: 30 }), { token })
    expect(result.outcome).toBe('crashed')
    expect(result.error?.errorType).toBe('ProcessLimitExceeded')
    const error = result.lines.find((line) => line.text.startsWith('ERROR RequestId:'))
    expect(error?.text).toMatch(/more than 64 processes at once/)
    expect(await waitFor(() => sleepers(token) === 0)).toBe(true)
    expect((await run(spec('nodejs', 'ok'))).outcome).toBe('succeeded')
  })
})

describe('100 MB of output', () => {
  const platformLines = (texts: string[], requestId: string): void => {
    expect(texts[0]).toBe(`START RequestId:${requestId}`)
    expect(texts.at(-3)).toMatch(new RegExp(`^Response RequestId:${requestId} RetMsg:"flooded"$`))
    expect(texts.at(-2)).toBe(`END RequestId:${requestId}`)
    expect(texts.at(-1)).toMatch(new RegExp(`^Report RequestId:${requestId} Duration:\\d+ms`))
  }

  it.each([
    ['nodejs', 'flood'],
    ['python3', 'flood'],
    ['nodejs', 'flood_child']
  ] as const)('%s %s: bounded, platform lines kept, dropped lines counted', async (runtime, handler) => {
    const result = await run(spec(runtime, handler, { timeout: 60 }))
    const texts = result.lines.map((line) => line.text)
    platformLines(texts, `contain-${seq}`)
    const bytes = texts.reduce((sum, text) => sum + text.length, 0)
    expect(bytes).toBeLessThan(2 * 1024 * 1024)
    const dropped = /\[cos-local\] (\d+) user log lines were dropped/.exec(texts.at(-4) ?? '')
    expect(dropped, texts.at(-4)).not.toBeNull()
    expect(Number(dropped![1])).toBeGreaterThan(90_000)
  })
})
