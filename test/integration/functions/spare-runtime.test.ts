/**
 * The spare Node runtime (spare-runtime.ts) against real processes: a new function's first
 * invocation runs in the process started ahead of it, with the function's own environment,
 * folder, memory flag and timezone; a function whose settings a running process cannot take
 * (another memory size, NODE_OPTIONS, another locale) gets a process of its own; stop() ends
 * the spare.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateFunctionConfig, type FunctionConfigInput } from '../../../main/core/functions/function-config.ts'
import { FunctionRunner, type RunSpec } from '../../../main/functions/runner.ts'
import { spareMemoryFor } from '../../../main/functions/spare-runtime.ts'

const HANDLER = `'use strict'
exports.main_handler = async () => ({
  uptimeMs: process.uptime() * 1000,
  env: process.env,
  cwd: process.cwd(),
  execArgv: process.execArgv,
  offset: new Date(0).getTimezoneOffset(),
  zone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
  noDeprecation: process.noDeprecation === true
})
`
interface Seen {
  uptimeMs: number
  env: Record<string, string>
  cwd: string
  execArgv: string[]
  offset: number
  zone: string
  noDeprecation: boolean
}

const work = mkdtempSync(join(tmpdir(), 'spare-runtime-'))
const tag = randomUUID()
const runner = new FunctionRunner({
  appid: '1250000000',
  region: 'ap-guangzhou',
  now: Date.now,
  baseEnv: { SPARE_TEST_TAG: tag },
  spareMemory: () => 128
})
afterAll(async () => {
  await runner.stop()
  rmSync(work, { recursive: true, force: true })
})

let seq = 0
function fn(input: Partial<FunctionConfigInput> = {}): RunSpec {
  const name = `spare-${++seq}x`
  const codeDir = join(work, name)
  mkdirSync(codeDir)
  writeFileSync(join(codeDir, 'index.js'), HANDLER)
  return { config: validateFunctionConfig({ name, timeout: 30, ...input }), codeDir, revision: '1' }
}

/** The first invocation of `spec`, and whether its process was already running when it was asked for. */
async function first(spec: RunSpec): Promise<{ seen: Seen; startedBefore: boolean; cold: boolean }> {
  const asked = performance.now()
  const result = await runner.run(spec, { requestId: `req-${seq}`, event: {} })
  const elapsed = performance.now() - asked
  expect(result.outcome).toBe('succeeded')
  const seen = JSON.parse(result.valueJson!) as Seen
  return { seen, startedBefore: seen.uptimeMs > elapsed, cold: result.cold }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 400))

/** Pids of processes started as spares by this test's runner (from the environment they started with). */
function spares(): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1').split('\0')
      if (environ.includes(`SPARE_TEST_TAG=${tag}`) && environ.includes('COS_LOCAL_SPARE=1')) pids.push(Number(name))
    } catch {
      // gone, or not ours to read
    }
  }
  return pids
}

describe.skipIf(process.platform !== 'linux')('the spare Node runtime', () => {
  it("runs a new function's first invocation with that function's environment, folder and memory flag", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500)) // the runner starts its first spare after 1 s
    const spec = fn({ env: { GREETING: 'hi', TZ: 'Asia/Shanghai' } })
    const { seen, startedBefore, cold } = await first(spec)
    expect(startedBefore).toBe(true)
    expect(cold).toBe(true)
    expect(seen.cwd).toBe(spec.codeDir)
    expect(seen.execArgv).toEqual(['--max-old-space-size=128'])
    expect(seen.env.GREETING).toBe('hi')
    expect(seen.env.SCF_FUNCTIONNAME).toBe(spec.config.name)
    expect(seen.env.SCF_CODE_DIR).toBe(spec.codeDir)
    expect(seen.env.SPARE_TEST_TAG).toBe(tag)
    expect(seen.env.COS_LOCAL_SPARE).toBeUndefined()
    expect(seen.env.COS_LOCAL_INSTANCE).toMatch(/^[0-9a-f-]{36}$/)
    expect([seen.offset, seen.zone]).toEqual([-480, 'Asia/Shanghai'])
  })

  it('is started again after it was adopted, for the next new function', async () => {
    await settle()
    const { seen, startedBefore } = await first(fn())
    expect(startedBefore).toBe(true)
    expect(seen.env.TZ).toBeUndefined()
    expect(seen.offset).toBe(new Date(0).getTimezoneOffset())
  })

  it('is not used by a function of another memory size, or one setting what Node reads at start', async () => {
    await settle()
    const bigger = await first(fn({ memory: 256 }))
    expect(bigger.startedBefore).toBe(false)
    expect(bigger.seen.execArgv).toEqual(['--max-old-space-size=256'])
    const options = await first(fn({ env: { NODE_OPTIONS: '--no-deprecation' } }))
    expect(options.startedBefore).toBe(false)
    expect(options.seen.noDeprecation).toBe(true)
    const locale = await first(fn({ env: { LANG: 'zh_CN.UTF-8' } }))
    expect(locale.startedBefore).toBe(false)
    expect(locale.seen.env.LANG).toBe('zh_CN.UTF-8')
    // the spare is still there for a function that fits
    expect((await first(fn())).startedBefore).toBe(true)
  })

  it('is stopped with the runner', async () => {
    await settle()
    // the three adopted ones (still warm; /proc shows the environment a process started with) and the waiting one
    expect(spares()).toHaveLength(4)
    await runner.stop()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(spares()).toEqual([])
  })
})

describe('the spare memory size', () => {
  it('is the most common among the Node functions, the latest changed on a tie, none without Node functions', () => {
    const node = (memory: number, updatedAt: number) => ({ runtime: 'nodejs', memory, updatedAt })
    expect(spareMemoryFor([])).toBeUndefined()
    expect(spareMemoryFor([{ runtime: 'python3', memory: 128, updatedAt: 1 }])).toBeUndefined()
    expect(spareMemoryFor([node(256, 1), node(128, 2), node(256, 3)])).toBe(256)
    expect(spareMemoryFor([node(256, 1), node(512, 5)])).toBe(512)
  })
})
