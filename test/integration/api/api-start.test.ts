/** The programmatic API (`startCosLocal`) in-process: SDK options, functions, triggers, waits, stop. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3'
import COS from 'cos-nodejs-sdk-v5'
import { afterAll, describe, expect, it } from 'vitest'
import { startCosLocal, type CosLocal } from '../../../main/api/index.ts'

const started: CosLocal[] = []
afterAll(() => Promise.all(started.map((cos) => cos.stop())))

async function start(options: Parameters<typeof startCosLocal>[0] = {}): Promise<CosLocal> {
  const cos = await startCosLocal(options)
  started.push(cos)
  return cos
}

describe('startCosLocal', () => {
  it('runs two instances side by side on their own ports and temp folders; stop removes the folder', async () => {
    const [a, b] = await Promise.all([start(), start({ uiPort: false })])
    expect(a.endpoint).not.toBe(b.endpoint)
    expect(a.dataDir).not.toBe(b.dataDir)
    expect(a.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/)
    expect(b.uiUrl).toBeUndefined()
    const ui = new URL(a.uiUrl as string)
    const info = await fetch(`${ui.origin}/api/info`, {
      headers: { authorization: `Bearer ${ui.searchParams.get('token')}` }
    })
    expect(((await info.json()) as { cosEndpoint: string }).cosEndpoint).toBe(a.endpoint)

    const clientA = new COS(a.sdkOptions())
    await clientA.putBucket({ Bucket: a.bucket('shared'), Region: a.region })
    const list = await new COS(b.sdkOptions()).getService({})
    expect(list.Buckets).toEqual([])

    await b.stop()
    expect(existsSync(b.dataDir)).toBe(false)
    await b.stop() // idempotent
  })

  it('keeps a dataDir it was given, and sdkOptions("s3") drives the AWS SDK', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-api-'))
    try {
      const cos = await start({ dataDir, appid: '1300000001', region: 'ap-shanghai', buckets: ['docs'] })
      expect(cos.bucket('docs')).toBe('docs-1300000001')
      await new COS(cos.sdkOptions()).putObject({
        Bucket: 'docs-1300000001',
        Region: 'ap-shanghai',
        Key: 'a.txt',
        Body: 'hi'
      })
      const s3 = new S3Client(cos.sdkOptions('s3'))
      const got = await s3.send(new GetObjectCommand({ Bucket: 'docs-1300000001', Key: 'a.txt' }))
      expect(await got.Body?.transformToString()).toBe('hi')
      expect(got.ContentType).toBe('text/plain')
      s3.destroy()
      await cos.stop()
      expect(existsSync(join(dataDir, 'app-state.json')) || existsSync(dataDir)).toBe(true)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses open mode on a non-loopback host unless allowOpen, naming the options', async () => {
    const error = await startCosLocal({ host: '0.0.0.0' }).catch((e: unknown) => e)
    expect(String(error)).toContain('host 0.0.0.0 binds every network interface')
    expect(String(error)).toContain('credentials: { secretId, secretKey }')
    expect(String(error)).toContain('allowOpen: true')
  })

  it('with credentials, verifies signatures: the right key works, a wrong one is refused', async () => {
    const cos = await start({ credentials: { secretId: 'AKIDmine', secretKey: 'my-secret' }, uiPort: false })
    expect(cos.credentials).toEqual({ secretId: 'AKIDmine', secretKey: 'my-secret' })
    await new COS(cos.sdkOptions()).putBucket({ Bucket: cos.bucket('signed'), Region: cos.region })
    const wrong = new COS({ ...cos.sdkOptions(), SecretKey: 'nope' })
    const error = (await wrong.getService({}).catch((e: unknown) => e)) as { statusCode?: number }
    expect(error.statusCode).toBe(403)
  })

  it('functions.create + triggers.add + a PUT → waitForInvocation gives status, result and logs', async () => {
    const cos = await start({ uiPort: false, buckets: ['photos'] })
    const dir = mkdtempSync(join(tmpdir(), 'cos-local-fn-'))
    writeFileSync(
      join(dir, 'index.js'),
      `exports.main_handler = async (event) => { console.log('got', event.Records[0].cos.cosObject.key); return { size: event.Records[0].cos.cosObject.size, env: process.env.GREETING } }\n`
    )
    try {
      const fn = await cos.functions.create({
        name: 'sizer',
        dir,
        runtime: 'Nodejs18.15',
        env: { GREETING: 'hi' },
        timeout: 5
      })
      expect(fn).toMatchObject({ name: 'sizer', runtime: 'nodejs', handler: 'index.main_handler', timeout: 5 })
      const triggers = await cos.triggers.add({
        function: 'sizer',
        bucket: 'photos',
        events: 'cos:ObjectCreated:*',
        suffix: '.jpg'
      })
      expect(triggers).toHaveLength(1)
      expect(triggers[0]).toMatchObject({
        function: 'sizer',
        bucket: 'photos-1250000000',
        suffix: '.jpg',
        enabled: true
      })

      await new COS(cos.sdkOptions()).putObject({
        Bucket: cos.bucket('photos'),
        Region: cos.region,
        Key: 'img/cat.jpg',
        Body: 'meow'
      })
      const run = await cos.waitForInvocation({ function: 'sizer', key: 'img/cat.jpg', timeoutMs: 20_000 })
      expect(run.status).toBe('succeeded')
      expect(run.result).toEqual({ size: 4, env: 'hi' })
      expect(run.eventName).toBe('cos:ObjectCreated:Put')
      expect(run.logs[0]).toMatch(/^START RequestId:/)
      expect(run.logs.some((line) => line.includes('got /1250000000/photos/img/cat.jpg'))).toBe(true)
      expect(run.logs.at(-1)).toMatch(/^Report RequestId:.*Duration:/)

      const missed = await cos
        .waitForInvocation({ function: 'sizer', key: 'img/dog.png', timeoutMs: 200 })
        .catch((e: unknown) => e)
      expect(String(missed)).toContain('No invocation of function "sizer" for key "img/dog.png" finished within 200 ms')
      expect(String(missed)).toContain('suffix .jpg')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a trigger that conflicts is refused with the COS code and adds none of the list', async () => {
    const cos = await start({ uiPort: false, buckets: ['logs'] })
    await cos.functions.create({ name: 'one', template: 'nodejs-print-event' })
    await cos.functions.create({ name: 'two', files: { 'index.js': 'exports.main_handler = async () => 1' } })
    await cos.triggers.add({ function: 'one', bucket: 'logs', events: 'cos:ObjectCreated:Put' })
    const error = await cos.triggers
      .add({ function: 'two', bucket: 'logs', events: ['cos:ObjectRemove:*', 'cos:ObjectCreated:*'] })
      .catch((e: { code?: string }) => e)
    expect((error as { code?: string }).code).toBe('NotifyRuleEventConflict')
    expect(await cos.triggers.list({ function: 'two' })).toEqual([])
    const result = await cos.functions.invoke('two')
    expect(result).toMatchObject({ status: 'succeeded', result: 1 })
  })
})
