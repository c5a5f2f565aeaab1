/**
 * The CLI client commands against a running instance (createApp in this process, the
 * commands over HTTP with --endpoint/--token or --data), output captured.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { runClientCommand } from '../../../main/cli/client-commands.ts'
import { cosClient } from '../../helpers/cos-server.ts'
import { writeZip } from '../../helpers/zip-writer.ts'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'functions')
const Bucket = 'cli-1250000000'
const Region = 'ap-guangzhou'
let app: App
let dataDir: string
let work: string
let cos: COS

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runClientCommand([...argv, '--endpoint', app.appApiUrl, '--token', app.token], {
    out: (text) => (out += text),
    err: (text) => (err += text)
  })
  return { code, out, err }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-cli-'))
  work = mkdtempSync(join(tmpdir(), 'cos-local-cli-work-'))
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
  cos = cosClient(app.cosPort)
  await cos.putBucket({ Bucket, Region })
})

afterAll(async () => {
  await app.stop()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

describe('cos-local function', () => {
  it('creates from a folder with handler, timeout and env', async () => {
    const result = await cli(
      'function',
      'create',
      'hello',
      '--dir',
      join(fixtures, 'node-handlers'),
      '--handler',
      'index.async_handler',
      '--timeout',
      '5',
      '--env',
      'GREETING=hey'
    )
    expect(result).toMatchObject({
      code: 0,
      out: 'Created function hello (nodejs, index.async_handler, 128 MB, 5 s).\n'
    })
  })

  it('creates from a zip holding one top folder, and from a template', async () => {
    const zip = join(work, 'fn.zip')
    writeFileSync(
      zip,
      writeZip({ 'project/index.js': "exports.main_handler = async () => 'zipped'\n" }, { deflate: true })
    )
    expect((await cli('function', 'create', 'zipped', '--zip', zip)).code).toBe(0)
    expect(
      (await cli('function', 'create', 'tpl', '--template', 'python-print-event', '--runtime', 'python3')).code
    ).toBe(0)
    // Without --runtime the template's own runtime is used.
    const fromTemplate = await cli('function', 'create', 'tpl2', '--template', 'python-print-event')
    expect(fromTemplate.code).toBe(0)
    expect(fromTemplate.out).toContain('Created function tpl2 (python3,')
    const invoked = await cli('function', 'invoke', 'zipped')
    expect(invoked.code).toBe(0)
    expect(invoked.out).toContain('Result: "zipped"')
  })

  it('a failed invoke exits 1 and sums up the error without its trace (the ERROR line above keeps it)', async () => {
    const dir = join(work, 'thrower')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'index.js'), "exports.main_handler = async () => { throw new Error('bad input') }\n")
    expect((await cli('function', 'create', 'thrower', '--dir', dir)).code).toBe(0)
    const invoked = await cli('function', 'invoke', 'thrower')
    expect(invoked.code).toBe(1)
    expect(invoked.out).toMatch(
      /^ERROR RequestId:\S+ Result:\{"errorCode":1,"errorMessage":"bad input","stackTrace":"Error: bad input\\n/m
    )
    expect(invoked.out).toContain('Status: failed\nResult: {"errorCode":1,"errorMessage":"bad input"}\n')
  })

  it('lists functions', async () => {
    const { code, out } = await cli('function', 'list')
    expect(code).toBe(0)
    expect(out).toMatch(/^NAME\s+RUNTIME\s+HANDLER/)
    expect(out).toMatch(/hello\s+nodejs\s+index\.async_handler\s+128MB\s+5s\s+dir/)
    expect(out).toMatch(/tpl\s+python3/)
  })

  it('invokes with a COS test template and prints the run log', async () => {
    const { code, out } = await cli(
      'function',
      'invoke',
      'tpl',
      '--template',
      'cos:ObjectCreated:Put',
      '--bucket',
      'cli',
      '--key',
      'a/b.txt'
    )
    expect(code).toBe(0)
    expect(out).toMatch(/^START RequestId:/)
    expect(out).toContain('"key": "/1250000000/cli/a/b.txt"')
    expect(out).toMatch(
      /Response RequestId:\S+ RetMsg:\[\{"event":"cos:ObjectCreated:Put","bucket":"cli-1250000000","key":"a\/b.txt"/
    )
    expect(out).toContain('Status: succeeded')
  })

  it('invokes with an edited test template from a file', async () => {
    const response = await fetch(
      `${app.appApiUrl}/api/test-templates/${encodeURIComponent('cos:ObjectRemove:*')}?bucket=cli&key=gone.txt`,
      {
        headers: { authorization: `Bearer ${app.token}` }
      }
    )
    const template = (await response.json()) as {
      Records: { cos: { cosObject: { key: string; size: number } }; event: { eventName: string } }[]
    }
    expect(template.Records[0]!.event.eventName).toBe('cos:ObjectRemove:*')
    template.Records[0]!.event.eventName = 'cos:ObjectRemove:Delete'
    template.Records[0]!.cos.cosObject.key = '/1250000000/cli/edited.txt'
    const file = join(work, 'event.json')
    writeFileSync(file, JSON.stringify(template))
    const { code, out } = await cli('function', 'invoke', 'hello', '--event', file)
    expect(code).toBe(0)
    expect(out).toContain('Result: {"key":"/1250000000/cli/edited.txt","eventName":"cos:ObjectRemove:Delete"')
  })

  it('exits 1 when the invoked function fails, and on bad config', async () => {
    await cli(
      'function',
      'create',
      'boom',
      '--dir',
      join(fixtures, 'node-handlers'),
      '--handler',
      'index.throw_handler'
    )
    const failed = await cli('function', 'invoke', 'boom')
    expect(failed.code).toBe(1)
    expect(failed.out).toContain('Status: failed')
    const bad = await cli('function', 'create', 'bad', '--dir', join(fixtures, 'node-handlers'), '--memory', '100')
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('use 64, or 128 to 3072 in steps of 128')
    const missing = await cli('function', 'create', 'nohandler', '--dir', work)
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/has no index\.js or index\.cjs or index\.mjs/)
  })
})

describe('cos-local trigger, logs, explain, wait', () => {
  it('adds, lists and rejects bad or overlapping triggers', async () => {
    const added = await cli(
      'trigger',
      'add',
      '--function',
      'hello',
      '--bucket',
      'cli',
      '--events',
      'cos:ObjectCreated:*',
      '--prefix',
      'up/'
    )
    expect(added.code).toBe(0)
    expect(added.out).toMatch(
      /^Added trigger trg-[0-9a-f]+: hello ← cli-1250000000 cos:ObjectCreated:\* \(prefix "up\/"\)/
    )
    const bad = await cli(
      'trigger',
      'add',
      '--function',
      'hello',
      '--bucket',
      'cli',
      '--events',
      'cos:ObjectCreated:Append'
    )
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('Valid event types: cos:ObjectCreated:*')
    const overlap = await cli(
      'trigger',
      'add',
      '--function',
      'tpl',
      '--bucket',
      'cli',
      '--events',
      'cos:ObjectCreated:Put',
      '--prefix',
      'up/x'
    )
    expect(overlap.code).toBe(1)
    expect(overlap.err).toMatch(/NotifyRulePrefixConflict: The rule overlaps trigger trg-/)
    const list = await cli('trigger', 'list')
    expect(list.out).toMatch(/trg-\S+\s+hello\s+cli-1250000000\s+cos:ObjectCreated:\*\s+up\/\s+-\s+yes/)
  })

  it('an upload runs the function: wait, logs and explain show it', async () => {
    const since = app.clock.now()
    await cos.putObject({ Bucket, Region, Key: 'up/f.txt', Body: 'f' })
    await cos.putObject({ Bucket, Region, Key: 'other/x.txt', Body: 'x' })
    const waited = await cli(
      'wait',
      '--function',
      'hello',
      '--key',
      'up/f.txt',
      '--since',
      String(since),
      '--timeout',
      '20000'
    )
    expect(waited.code).toBe(0)
    expect(waited.out).toMatch(/^hello succeeded \S+ up\/f\.txt/)
    const logs = await cli('logs', 'hello')
    expect(logs.out).toContain('START RequestId:')
    expect(logs.out).toContain('"key":"/1250000000/cli/up/f.txt"')
    let explained = await cli('explain', Bucket, 'other/x.txt')
    for (let i = 0; i < 100 && !explained.out.includes('cos:ObjectCreated:Put'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      explained = await cli('explain', Bucket, 'other/x.txt')
    }
    expect(explained.out).toMatch(
      /no\s+trg-\S+ \(hello, cli-1250000000 cos:ObjectCreated:\*\): key "other\/x.txt" does not start with prefix "up\/"/
    )
  })

  it('wait times out with exit 1 when nothing happens', async () => {
    const result = await cli('wait', '--function', 'hello', '--key', 'never.txt', '--timeout', '200')
    expect(result.code).toBe(1)
    expect(result.err).toContain('WaitTimeout')
  })

  it('logs --follow streams new lines until interrupted', async () => {
    let out = ''
    const controller = new AbortController()
    const following = runClientCommand(
      ['logs', 'zipped', '--follow', '--endpoint', app.appApiUrl, '--token', app.token],
      { out: (t) => (out += t), err: () => {} },
      controller.signal
    )
    await cli('function', 'invoke', 'zipped')
    for (let i = 0; i < 100 && !out.includes('Report RequestId'); i++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    controller.abort()
    expect(await following).toBe(0)
    expect(out).toContain('Response RequestId:')
  })

  it('disables and removes a trigger', async () => {
    const id = /trg-[0-9a-f]+/.exec((await cli('trigger', 'list', '--function', 'hello')).out)![0]
    expect((await cli('trigger', 'disable', id)).out).toBe(`Trigger ${id} is disabled.\n`)
    expect((await cli('trigger', 'rm', id)).code).toBe(0)
    expect((await cli('trigger', 'list', '--function', 'hello')).out).toBe('No triggers.\n')
  })
})

describe('cos-local import / export', () => {
  it('imports a TCSAM template.yaml and exports serverless.yml', async () => {
    const dir = join(work, 'project')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'index.js'), 'exports.main_handler = async (event) => event.Records[0].cos.cosObject.key\n')
    writeFileSync(
      join(dir, 'template.yaml'),
      `Resources:
  default:
    Type: TencentCloud::Serverless::Namespace
    imported:
      Type: TencentCloud::Serverless::Function
      Properties:
        CodeUri: ./
        Handler: index.main_handler
        Runtime: Nodejs16.13
        Events:
          uploads:
            Type: COS
            Properties:
              Bucket: cli-1250000000.cos.ap-guangzhou.myqcloud.com
              Events: cos:ObjectCreated:Put
              Filter: { Prefix: imp/ }
              Enable: true
`
    )
    const imported = await cli('import', join(dir, 'template.yaml'))
    expect(imported.code).toBe(0)
    expect(imported.out).toMatch(/^Imported 1 function\(s\): imported\nAdded 1 trigger\(s\): trg-/)
    const again = await cli('import', join(dir, 'template.yaml'))
    expect(again.code).toBe(1)
    expect(again.err).toContain('already exists')
    const since = app.clock.now()
    await cos.putObject({ Bucket, Region, Key: 'imp/1.txt', Body: '1' })
    expect((await cli('wait', '--function', 'imported', '--key', 'imp/1.txt', '--since', String(since))).code).toBe(0)
    const exported = await cli('export')
    expect(exported.out).toContain('provider:\n  name: tencent')
    expect(exported.out).toContain('bucket: cli-1250000000.cos.ap-guangzhou.myqcloud.com')
    expect(exported.out).toContain('events: cos:ObjectCreated:Put')
  })
})

describe('connection and usage', () => {
  it('finds the instance through --data DIR/instance.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-local-cli-data-'))
    let err = ''
    const missing = await runClientCommand(['function', 'list', '--data', dir], {
      out: () => {},
      err: (t) => (err += t)
    })
    expect(missing).toBe(1)
    expect(err).toContain('No running COS Local found')
    writeFileSync(
      join(dir, 'instance.json'),
      JSON.stringify({ appApiUrl: app.appApiUrl, token: app.token, cosEndpoint: app.cosEndpoint, pid: process.pid })
    )
    let out = ''
    expect(await runClientCommand(['function', 'list', '--data', dir], { out: (t) => (out += t), err: () => {} })).toBe(
      0
    )
    expect(out).toContain('hello')
    rmSync(dir, { recursive: true, force: true })
  })

  it('exits 2 on usage errors and 1 when the server is unreachable', async () => {
    expect((await cli('trigger', 'add', '--function', 'hello')).code).toBe(2)
    expect((await cli('bogus')).code).toBe(2)
    let err = ''
    const code = await runClientCommand(['function', 'list', '--endpoint', 'http://127.0.0.1:9', '--token', 'x'], {
      out: () => {},
      err: (t) => (err += t)
    })
    expect(code).toBe(1)
    expect(err).toContain('Cannot reach COS Local at http://127.0.0.1:9')
  })
})
