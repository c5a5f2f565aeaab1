/**
 * The spare runtimes (spare-runtime.ts) against real processes: a new function's first
 * invocation runs in the process started ahead of it, with the function's own environment,
 * folder, memory flag and timezone; a function whose settings a running process cannot take
 * (another memory size, NODE_OPTIONS, PYTHONPATH, another locale) gets a process of its own;
 * stop() ends the spares.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateFunctionConfig, type FunctionConfigInput } from '../../../main/core/functions/function-config.ts'
import { FunctionRunner, type RunSpec } from '../../../main/functions/runner.ts'
import { spareMemoryFor, sparesFor } from '../../../main/functions/spare-runtime.ts'

const HANDLER = `'use strict'
exports.main_handler = async () => ({
  pid: process.pid,
  env: process.env,
  cwd: process.cwd(),
  execArgv: process.execArgv,
  offset: new Date(0).getTimezoneOffset(),
  zone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
  noDeprecation: process.noDeprecation === true
})
`
interface Seen {
  pid: number
  path?: string[]
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
  spares: () => ({ nodeMemory: 128, python: true })
})
afterAll(async () => {
  await runner.stop()
  rmSync(work, { recursive: true, force: true })
})

const PY_HANDLER = `import os, sys, time

def main_handler(event, context):
    return {
        'pid': os.getpid(),
        'env': dict(os.environ),
        'cwd': os.getcwd(),
        'offset': time.timezone // 60,
        'path': sys.path,
    }
`

let seq = 0
function fn(input: Partial<FunctionConfigInput> = {}): RunSpec {
  const name = `spare-${++seq}x`
  const codeDir = join(work, name)
  mkdirSync(codeDir)
  writeFileSync(join(codeDir, 'index.js'), HANDLER)
  writeFileSync(join(codeDir, 'index.py'), PY_HANDLER)
  return { config: validateFunctionConfig({ name, timeout: 30, ...input }), codeDir, revision: '1' }
}

/** The first invocation of `spec`, and whether it ran in the spare process waiting when it was asked for. */
async function first(spec: RunSpec): Promise<{ seen: Seen; startedBefore: boolean; cold: boolean }> {
  const spare = runner.sparesWaiting().find((waiting) => waiting.runtime === spec.config.runtime)?.pid
  const result = await runner.run(spec, { requestId: `req-${seq}`, event: {} })
  expect(result.outcome).toBe('succeeded')
  const seen = JSON.parse(result.valueJson!) as Seen
  return { seen, startedBefore: spare !== undefined && seen.pid === spare, cold: result.cold }
}

/** Until the runner has both spares started again (it waits while invocations run). */
const settle = (): Promise<unknown> =>
  expect
    .poll(
      () =>
        runner
          .sparesWaiting()
          .map((spare) => spare.runtime)
          .sort(),
      { timeout: 20_000 }
    )
    .toEqual(['nodejs', 'python3'])

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

describe.skipIf(process.platform !== 'linux')('the spare runtimes', () => {
  it("runs a new function's first invocation with that function's environment, folder and memory flag", async () => {
    await settle() // the runner starts its first spares 1 s after its own start
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

  it('runs a new Python function in the Python spare, with its environment, folder and timezone', async () => {
    await settle()
    const spec = fn({ runtime: 'python3', env: { GREETING: 'hola', TZ: 'Asia/Shanghai' } })
    const { seen, startedBefore } = await first(spec)
    expect(startedBefore).toBe(true)
    expect(seen.cwd).toBe(spec.codeDir)
    expect(seen.env.GREETING).toBe('hola')
    expect(seen.env.SCF_CODE_DIR).toBe(spec.codeDir)
    expect(seen.env.COS_LOCAL_SPARE).toBeUndefined()
    expect(seen.env.PYTHONUNBUFFERED).toBe('1')
    expect(seen.offset).toBe(-480)
    await settle()
    const own = await first(fn({ runtime: 'python3', env: { PYTHONPATH: '/opt/elsewhere' } }))
    expect(own.startedBefore).toBe(false)
    expect(own.seen.path).toContain('/opt/elsewhere')
    expect((await first(fn({ runtime: 'python3' }))).startedBefore).toBe(true)
  })

  it("times an adopted spare's invocation from when it is ready, as a process of its own", async () => {
    await settle()
    const spec = fn({ timeout: 1, handler: 'hang.main_handler' })
    writeFileSync(join(spec.codeDir, 'hang.js'), 'exports.main_handler = () => new Promise(() => {})\n')
    const spare = runner.sparesWaiting().find((waiting) => waiting.runtime === 'nodejs')!.pid
    const result = await runner.run(spec, { requestId: `req-${seq}`, event: {} })
    expect(result.outcome).toBe('timeout')
    expect(result.error?.errorMessage).toBe('Invoking task timed out after 1 seconds')
    expect(result.cold).toBe(true)
    expect(runner.sparesWaiting().map((waiting) => waiting.pid)).not.toContain(spare)
  })

  it('is stopped with the runner', async () => {
    await settle()
    const waiting = runner.sparesWaiting().map((spare) => spare.pid!)
    expect(waiting.every((pid) => spares().includes(pid))).toBe(true)
    await runner.stop()
    // the waiting spares and the instances that adopted one alike
    await expect.poll(spares, { timeout: 5000 }).toEqual([])
  })
})

describe('the spare memory size', () => {
  it('is the most common among the Node functions, the latest changed on a tie, none without Node functions', () => {
    const node = (memory: number, updatedAt: number) => ({ runtime: 'nodejs', memory, updatedAt })
    expect(spareMemoryFor([])).toBeUndefined()
    expect(spareMemoryFor([{ runtime: 'python3', memory: 128, updatedAt: 1 }])).toBeUndefined()
    expect(spareMemoryFor([node(256, 1), node(128, 2), node(256, 3)])).toBe(256)
    expect(spareMemoryFor([node(256, 1), node(512, 5)])).toBe(512)
    expect(sparesFor([node(256, 1)])).toEqual({ nodeMemory: 256, python: false })
    expect(sparesFor([{ runtime: 'python3', memory: 128, updatedAt: 1 }])).toEqual({
      nodeMemory: undefined,
      python: true
    })
  })
})
