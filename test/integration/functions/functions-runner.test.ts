/**
 * The runner against real child processes: Node (async, callback, sync) and Python
 * handlers run with the event and context; throw / exit / hang / flood / out-of-memory
 * are contained and recorded, and the runner keeps serving afterwards.
 */
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateFunctionConfig, type FunctionConfigInput } from '../../../main/core/functions/function-config.ts'
import { FunctionInstance } from '../../../main/functions/function-instance.ts'
import { FunctionRunner, type RunResult, type RunSpec } from '../../../main/functions/runner.ts'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'functions')
/**
 * The function timeout of tests that are not about timeouts. Function processes run niced: on a
 * busy 2-core machine a handler that takes milliseconds when idle (a flood of output, Python's
 * first import of its module) can take seconds, and such a test would see 'timeout' instead of
 * its own outcome.
 */
const GENEROUS = 30
const runner = new FunctionRunner({
  appid: '1250000000',
  region: 'ap-guangzhou',
  now: Date.now,
  maxInstances: 4,
  logLimitBytes: 64 * 1024
})
afterAll(() => runner.stop())

function node(handler: string, extra: Partial<FunctionConfigInput> = {}): RunSpec {
  const config = validateFunctionConfig({
    name: `node-${handler.replace(/_/g, '-')}x`,
    handler: `index.${handler}`,
    env: { GREETING: 'hi' },
    timeout: GENEROUS,
    ...extra
  })
  return { config, codeDir: join(fixtures, 'node-handlers'), revision: '1' }
}

function python(handler: string, extra: Partial<FunctionConfigInput> = {}): RunSpec {
  const config = validateFunctionConfig({
    name: `py-${handler.replace(/_/g, '-')}x`,
    runtime: 'python3',
    handler: `index.${handler}`,
    env: { GREETING: 'hola' },
    timeout: GENEROUS,
    ...extra
  })
  return { config, codeDir: join(fixtures, 'python-handlers'), revision: '1' }
}

const event = {
  Records: [{ cos: { cosObject: { key: '/1250000000/photos/a.jpg' } }, event: { eventName: 'cos:ObjectCreated:Put' } }]
}
let seq = 0
const run = (spec: RunSpec, payload: unknown = event) => runner.run(spec, { requestId: `req-${++seq}`, event: payload })

describe('Node.js handlers', () => {
  it('runs an async handler with the event, context and environment', async () => {
    const result = await run(node('async_handler'))
    expect(result.outcome).toBe('succeeded')
    const value = JSON.parse(result.valueJson!)
    expect(value).toEqual({
      key: '/1250000000/photos/a.jpg',
      eventName: 'cos:ObjectCreated:Put',
      context: {
        request_id: `req-${seq}`,
        function_name: 'node-async-handlerx',
        memory_limit_in_mb: 128,
        time_limit_in_ms: GENEROUS * 1000,
        namespace: 'default',
        remaining: 'number',
        waits: true
      },
      env: 'hi'
    })
    const texts = result.lines.map((line) => line.text)
    expect(texts[0]).toBe(`START RequestId:req-${seq}`)
    expect(texts[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\treq-${seq}\\tevent: \\{"Records"`))
    expect(texts.at(-3)).toMatch(/^Response RequestId:req-\d+ RetMsg:\{"key":/)
    expect(texts.at(-2)).toBe(`END RequestId:req-${seq}`)
    expect(texts.at(-1)).toMatch(/^Report RequestId:req-\d+ Duration:\d+ms Memory:128MB MemUsage:\d+\.\d\dMB$/)
  })

  it('gives each invocation its own context: SCF fields in order, callbackWaitsForEmptyEventLoop a boolean', async () => {
    const spec = node('context_handler')
    for (const fresh of [1, 2]) {
      const result = await run(spec, { fresh })
      const value = JSON.parse(result.valueJson!) as Record<string, unknown>
      expect(value).toEqual({
        keys: [
          'callbackWaitsForEmptyEventLoop',
          'getRemainingTimeInMillis',
          'memory_limit_in_mb',
          'time_limit_in_ms',
          'request_id',
          'environment',
          'environ',
          'function_version',
          'function_name',
          'namespace',
          'tencentcloud_region',
          'tencentcloud_appid',
          'tencentcloud_uin'
        ],
        before: expect.objectContaining({ callbackWaitsForEmptyEventLoop: true, request_id: `req-${seq}` }) as unknown,
        cleared: false,
        set: true,
        fresh
      })
    }
  })

  it('runs a callback handler', async () => {
    const result = await run(node('callback_handler'))
    expect(result.outcome).toBe('succeeded')
    expect(JSON.parse(result.valueJson!)).toEqual({ style: 'callback' })
    expect(result.lines.some((line) => line.text.endsWith('\tcallback style'))).toBe(true)
  })

  it('reports a callback error', async () => {
    const result = await run(node('callback_error_handler'))
    expect(result.outcome).toBe('error')
    expect(result.error?.errorMessage).toBe('callback failed')
  })

  it('runs a sync handler and captures raw stdout writes', async () => {
    const result = await run(node('sync_handler'), { n: 7 })
    expect(result.valueJson).toBe('"sync:7"')
    expect(result.lines.some((line) => line.text.endsWith('\traw write'))).toBe(true)
  })

  it('reuses a warm instance, one invocation at a time', async () => {
    const spec = node('counter_handler')
    const first = JSON.parse((await run(spec)).valueJson!)
    const second = await run(spec)
    expect(second.cold).toBe(false)
    expect(JSON.parse(second.valueJson!)).toEqual({ count: first.count + 1, pid: first.pid })
    const parallel = await Promise.all([run(spec), run(spec)])
    const pids = parallel.map((result) => JSON.parse(result.valueJson!).pid)
    expect(new Set(pids).size).toBe(2)
  })
})

describe('failures are contained', () => {
  it('records a thrown error with an ERROR line', async () => {
    const result = await run(node('throw_handler'))
    expect(result.outcome).toBe('error')
    expect(result.error?.errorMessage).toBe('boom')
    const texts = result.lines.map((line) => line.text)
    expect(texts.some((text) => text.endsWith('\tabout to throw'))).toBe(true)
    expect(texts.at(-3)).toMatch(
      /^ERROR RequestId:req-\d+ Result:\{"errorCode":1,"errorMessage":"boom","stackTrace":"Error: boom/
    )
  })

  it('records a process exit', async () => {
    const result = await run(node('exit_handler'))
    expect(result.outcome).toBe('crashed')
    expect(result.error?.errorMessage).toMatch(/exited with code 3/)
    expect(result.lines.some((line) => line.text.endsWith('\texiting'))).toBe(true)
  })

  it('kills a hung function at its timeout', async () => {
    const result = await run(node('hang_handler', { timeout: 1 }))
    expect(result.outcome).toBe('timeout')
    expect(result.message).toContain('Invoking task timed out after 1 seconds')
  })

  it('truncates a flood of output', async () => {
    const result = await run(node('flood_handler'))
    expect(result.outcome).toBe('succeeded')
    expect(result.logTruncated).toBe(true)
    const bytes = result.lines.reduce((sum, line) => sum + line.text.length, 0)
    expect(bytes).toBeLessThan(80 * 1024)
    expect(result.lines.some((line) => line.text.includes('log output over'))).toBe(true)
  })

  it('stops a function that runs out of memory', async () => {
    const result = await run(node('oom_handler', { memory: 64, timeout: 20 }))
    expect(result.outcome).toBe('out-of-memory')
    expect(result.message).toMatch(/Memory limit exceeded/)
  })

  it('keeps serving after all of that', async () => {
    const result = await run(node('async_handler'))
    expect(result.outcome).toBe('succeeded')
  })
})

describe('Python handlers', () => {
  it('runs main_handler with the event and a context dict', async () => {
    const result = await run(python('main_handler'))
    expect(result.outcome).toBe('succeeded')
    expect(JSON.parse(result.valueJson!)).toEqual({
      key: '/1250000000/photos/a.jpg',
      eventName: 'cos:ObjectCreated:Put',
      context: {
        request_id: `req-${seq}`,
        function_name: 'py-main-handlerx',
        memory_limit_in_mb: 128,
        remaining: true
      },
      env: 'hola'
    })
    expect(result.lines.some((line) => line.text.includes('\tevent: {"Records"'))).toBe(true)
  })

  it('records a raised exception with its traceback', async () => {
    const result = await run(python('throw_handler'))
    expect(result.outcome).toBe('error')
    expect(result.error?.errorType).toBe('ValueError')
    expect(result.message).toContain('python boom')
    expect(result.lines.some((line) => line.text.endsWith('\tabout to raise'))).toBe(true)
  })

  it('contains exit, hang, flood and out-of-memory', async () => {
    expect((await run(python('exit_handler'))).outcome).toBe('crashed')
    expect((await run(python('hang_handler', { timeout: 1 }))).outcome).toBe('timeout')
    const flood = await run(python('flood_handler'))
    expect(flood.outcome).toBe('succeeded')
    expect(flood.logTruncated).toBe(true)
    expect((await run(python('oom_handler', { memory: 64, timeout: 20 }))).outcome).toBe('out-of-memory')
    expect((await run(python('main_handler'))).outcome).toBe('succeeded')
  })
})

describe('pool limits', () => {
  it('caps concurrent instances and queues the rest; idle instances expire', async () => {
    const small = new FunctionRunner({
      appid: '1250000000',
      region: 'ap-guangzhou',
      now: Date.now,
      maxInstances: 1,
      idleMs: 300
    })
    try {
      const spec = node('counter_handler')
      const results = await Promise.all([1, 2, 3].map((i) => small.run(spec, { requestId: `cap-${i}`, event: {} })))
      const values = results.map((result) => JSON.parse(result.valueJson!) as { count: number; pid: number })
      expect(new Set(values.map((value) => value.pid)).size).toBe(1)
      expect(values.map((value) => value.count).sort()).toEqual([1, 2, 3])
      expect(small.stats().instances).toBe(1)
      for (let i = 0; i < 100 && small.stats().instances > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50))
      expect(small.stats().instances).toBe(0)
    } finally {
      await small.stop()
    }
  })

  it('at the cap, queues the next invocation right behind a running one: one at a time, each its own run', async () => {
    const small = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 1 })
    try {
      const spec = node('queue_handler')
      await small.run(spec, { requestId: 'q-warm', event: {} })
      const results = await Promise.all(
        [1, 2, 3].map((i) => small.run(spec, { requestId: `q-${i}`, event: { ms: 150 } }))
      )
      const values = results.map(
        (result) => JSON.parse(result.valueJson!) as { pid: number; started: number; ended: number; count: number }
      )
      expect(new Set(values.map((value) => value.pid)).size).toBe(1)
      expect(values.map((value) => value.count)).toEqual([2, 3, 4])
      for (let i = 1; i < values.length; i++) expect(values[i]!.started).toBeGreaterThanOrEqual(values[i - 1]!.ended)
      results.forEach((result, i) => {
        const texts = result.lines.map((line) => line.text)
        expect(texts[0]).toBe(`START RequestId:q-${i + 1}`)
        expect(texts.some((text) => text.endsWith(`begin q-${i + 1}`))).toBe(true)
        expect(texts.filter((text) => text.includes('begin ')).length).toBe(1)
        expect(texts.at(-1)).toMatch(new RegExp(`^Report RequestId:q-${i + 1} Duration:\\d+ms`))
        expect(result.durationMs).toBeGreaterThanOrEqual(140)
      })
    } finally {
      await small.stop()
    }
  })

  it("a short function's backlog stays on as many instances as there are cores, though more are warm", async () => {
    const cores = availableParallelism()
    const pool = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 8 })
    try {
      const spec = node('counter_handler')
      const burst = async (prefix: string, count: number): Promise<Map<number, number>> => {
        const results = await Promise.all(
          Array.from({ length: count }, (_, i) => pool.run(spec, { requestId: `${prefix}-${i}`, event: {} }))
        )
        const byPid = new Map<number, number>()
        for (const result of results) {
          expect(result.outcome).toBe('succeeded')
          const { pid } = JSON.parse(result.valueJson!) as { pid: number }
          byPid.set(pid, (byPid.get(pid) ?? 0) + 1)
        }
        return byPid
      }
      // Its duration unknown yet, a burst starts an instance per invocation up to the cap.
      await burst('first', 8)
      expect(pool.stats().instances).toBe(8)
      // Known to be short, its backlog (more than MAX_QUEUED per instance) waits for room
      // behind the instances that fill the cores instead of spreading over all the warm ones.
      const byPid = await burst('backlog', 300)
      const top = [...byPid.values()].sort((a, b) => b - a).slice(0, cores)
      expect(top.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(240)
    } finally {
      await pool.stop()
    }
  })

  it.skipIf(availableParallelism() !== 2)(
    "a short function's backlog still takes the second core beside another function's busy instance",
    async () => {
      const pool = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 8 })
      try {
        const short = node('counter_handler')
        await pool.run(short, { requestId: 'beside-warm', event: {} })
        await pool.run(short, { requestId: 'beside-warm-2', event: {} })
        const slow = pool.run(node('queue_handler'), { requestId: 'beside-slow', event: { ms: 1500 } })
        await new Promise((resolve) => setTimeout(resolve, 300))
        // the short function's instance busy first, then a backlog (more than MAX_QUEUED) behind it
        const first = pool.run(short, { requestId: 'beside-0', event: {} })
        await new Promise((resolve) => setImmediate(resolve))
        const results = await Promise.all([
          first,
          ...Array.from({ length: 60 }, (_, i) => pool.run(short, { requestId: `beside-${i + 1}`, event: {} }))
        ])
        const pids = new Set(results.map((result) => (JSON.parse(result.valueJson!) as { pid: number }).pid))
        expect(pids.size).toBeGreaterThanOrEqual(2)
        expect((await slow).outcome).toBe('succeeded')
      } finally {
        await pool.stop()
      }
    }
  )

  it.skipIf(process.platform !== 'linux')(
    "with every core taken, a short function's backlog waits for its instances instead of starting more",
    async () => {
      const cores = availableParallelism()
      // every core has something runnable: as many spinning processes, at the lowest priority
      const spinners = Array.from({ length: cores }, () =>
        spawn(process.execPath, ['-e', 'require("node:os").setPriority(19); for (;;) {}'], { stdio: 'ignore' })
      )
      const pool = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 8 })
      try {
        const spec = node('counter_handler')
        const burst = (prefix: string, count: number): Promise<RunResult[]> =>
          Promise.all(
            Array.from({ length: count }, (_, i) => pool.run(spec, { requestId: `${prefix}-${i}`, event: {} }))
          )
        // as many instances as cores (their first, cold calls can take tens of ms on a busy
        // machine), then the function learnt to be short on the first of them
        await burst('taken-start', cores)
        expect(pool.stats().instances).toBe(cores)
        for (let i = 0; i < 20; i++) await pool.run(spec, { requestId: `taken-warm-${i}`, event: {} })
        // a backlog whose queue behind an instance, as timed by the busy machine, looks long
        const results = await burst('taken', 300)
        for (const result of results) expect(result.outcome).toBe('succeeded')
        const pids = new Set(results.map((result) => (JSON.parse(result.valueJson!) as { pid: number }).pid))
        expect(pids.size).toBeLessThanOrEqual(cores)
        expect(pool.stats().instances).toBe(cores)
      } finally {
        for (const spinner of spinners) spinner.kill('SIGKILL')
        await pool.stop()
      }
    }
  )

  it.skipIf(process.platform !== 'linux')(
    'a queued invocation waits until what the previous one started is swept',
    async () => {
      const small = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 1 })
      try {
        const spec = node('queue_handler')
        await small.run(spec, { requestId: 'qs-warm', event: {} })
        const [first, second] = await Promise.all([
          small.run(spec, { requestId: 'qs-1', event: { spawn: true, ms: 100 } }),
          small.run(spec, { requestId: 'qs-2', event: {} })
        ])
        expect(first!.outcome).toBe('succeeded')
        expect(JSON.parse(second!.valueJson!)).toMatchObject({ previousChildAlive: false })
      } finally {
        await small.stop()
      }
    }
  )

  it('an invocation queued behind one that times out runs on a new instance', async () => {
    const small = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 1 })
    try {
      const spec = node('queue_handler', { timeout: 1 })
      const warm = JSON.parse((await small.run(spec, { requestId: 'qt-warm', event: {} })).valueJson!) as {
        pid: number
      }
      const [hung, next] = await Promise.all([
        small.run(spec, { requestId: 'qt-1', event: { hang: true } }),
        small.run(spec, { requestId: 'qt-2', event: {} })
      ])
      expect(hung!.outcome).toBe('timeout')
      expect(next!.outcome).toBe('succeeded')
      expect(next!.lines[0]!.text).toBe('START RequestId:qt-2')
      expect((JSON.parse(next!.valueJson!) as { pid: number }).pid).not.toBe(warm.pid)
    } finally {
      await small.stop()
    }
  })

  it('an invocation handed to a busy instance (its queue promised earlier) waits for the running one', async () => {
    const spec = node('queue_handler')
    const instance = new FunctionInstance({
      config: spec.config,
      codeDir: spec.codeDir,
      env: { PATH: process.env.PATH ?? '' },
      logLimitBytes: 64 * 1024
    })
    try {
      const attempt = (id: string, ms: number) =>
        instance.invoke({ requestId: id, event: { ms }, context: { request_id: id }, onLog: () => {} })
      // A fresh instance cannot queue yet (canQueue is false), as when it changed after the runner's check.
      const first = attempt('b-1', 150)
      expect(instance.canQueue).toBe(false)
      const second = attempt('b-2', 0)
      const [a, b] = await Promise.all([first, second])
      const [va, vb] = [a, b].map((result) => JSON.parse(result.valueJson!) as { started: number; ended: number })
      expect([a.outcome, b.outcome]).toEqual(['succeeded', 'succeeded'])
      expect(vb!.started).toBeGreaterThanOrEqual(va!.ended)
    } finally {
      await instance.kill()
    }
  })

  it('evicts an idle instance of another function to make room', async () => {
    const small = new FunctionRunner({ appid: '1250000000', region: 'ap-guangzhou', now: Date.now, maxInstances: 1 })
    try {
      expect((await small.run(node('sync_handler'), { requestId: 'e-1', event: {} })).outcome).toBe('succeeded')
      expect((await small.run(python('main_handler'), { requestId: 'e-2', event: {} })).outcome).toBe('succeeded')
      expect(small.stats().instances).toBe(1)
    } finally {
      await small.stop()
    }
  })
})

describe('a runtime that cannot start', () => {
  it('fails the attempt with a clear message and frees the slot', async () => {
    const broken = new FunctionRunner({
      appid: '1250000000',
      region: 'ap-guangzhou',
      now: Date.now,
      maxInstances: 1,
      pythonCommand: 'python-missing-here'
    })
    try {
      for (let i = 0; i < 2; i++) {
        const result = await broken.run(python('main_handler'), { requestId: `missing-${i}`, event: {} })
        expect(result.outcome).toBe('crashed')
        expect(result.error?.errorMessage).toMatch(
          /Cannot start the python3 runtime \(python-missing-here\): spawn python-missing-here ENOENT/
        )
      }
      expect(broken.stats().instances).toBe(0)
    } finally {
      await broken.stop()
    }
  })
})

describe('module formats', () => {
  it('runs an ES module handler (index.mjs)', async () => {
    const config = validateFunctionConfig({ name: 'esm-fn' })
    const result = await runner.run(
      { config, codeDir: join(fixtures, 'node-esm'), revision: '1' },
      { requestId: 'esm-1', event: {} }
    )
    expect(result.outcome).toBe('succeeded')
    expect(JSON.parse(result.valueJson!)).toEqual({ esm: true, fn: 'esm-fn' })
  })
})
