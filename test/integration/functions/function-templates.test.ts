/**
 * The COS-trigger templates, in Node.js and Python, as real functions in child processes:
 * each is created from its template through the app API, wired to a bucket with a trigger,
 * and an upload through the official SDK has its effect (unzipped objects appear; a local
 * HTTP service receives the object's details; a thumbnail object is written).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type COS from 'cos-nodejs-sdk-v5'
import { zipSync, strToU8 } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import type { Invocation } from '../../../preload/contract/invocations.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'
import { cosClient } from '../../helpers/cos-server.ts'

const Bucket = 'templates-1250000000'
const Region = 'ap-guangzhou'
let app: App
let dataDir: string
let cos: COS
let hook: Server
let hookUrl: string
const received: { path: string; contentType: string; body: Record<string, unknown> }[] = []
const api = appApiClient(() => app)

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-templates-'))
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
  cos = cosClient(app.cosPort)
  await cos.putBucket({ Bucket, Region })
  hook = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>
      })
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`
})

afterAll(async () => {
  await app?.stop()
  hook?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function fromTemplate(name: string, template: string, prefix: string, extra: Record<string, unknown> = {}) {
  // A generous timeout: on a loaded 2-core machine a cold Python start alone can take seconds.
  await api('POST', '/api/functions', { name, code: { type: 'template', template }, timeout: 20, ...extra })
  await api('POST', '/api/triggers', { functionName: name, bucket: Bucket, event: 'cos:ObjectCreated:Put', prefix })
}

async function upload(fn: string, key: string, body: Buffer): Promise<Invocation> {
  const since = app.clock.now()
  await cos.putObject({ Bucket, Region, Key: key, Body: body })
  return api<Invocation>('GET', `/api/wait?function=${fn}&key=${encodeURIComponent(key)}&since=${since}&timeout=30000`)
}

const text = async (key: string) => (await cos.getObject({ Bucket, Region, Key: key })).Body.toString()

it('lists every template in Node.js and Python', async () => {
  const { templates } = await api<{ templates: { id: string; runtime: string }[] }>('GET', '/api/function-templates')
  const ids = templates.map((template) => template.id)
  for (const use of ['print-event', 'thumbnail', 'unzip', 'webhook']) {
    expect(ids).toContain(`nodejs-${use}`)
    expect(ids).toContain(`python-${use}`)
  }
})

describe.each(['nodejs', 'python'])('%s templates', (runtime) => {
  it('auto-unzip puts each file of an uploaded zip under unzipped/<name>/', async () => {
    await fromTemplate(`${runtime}-unzip`, `${runtime}-unzip`, `${runtime}-zips/`)
    const zip = Buffer.from(
      zipSync({
        'readme.txt': [strToU8('hello from the zip'), { level: 0 }],
        'docs/': {},
        'docs/big.txt': [strToU8('x'.repeat(5000)), { level: 9 }],
        '中文/名字.txt': strToU8('unicode name')
      })
    )
    const invocation = await upload(`${runtime}-unzip`, `${runtime}-zips/bundle-${runtime}.zip`, zip)
    expect(invocation.status, JSON.stringify(invocation)).toBe('succeeded')
    const folder = `unzipped/bundle-${runtime}/`
    expect(await text(`${folder}readme.txt`)).toBe('hello from the zip')
    expect(await text(`${folder}docs/big.txt`)).toBe('x'.repeat(5000))
    expect(await text(`${folder}中文/名字.txt`)).toBe('unicode name')
    const listing = await cos.getBucket({ Bucket, Region, Prefix: folder })
    expect(listing.Contents.map((item) => item.Key).sort()).toEqual(
      [`${folder}docs/big.txt`, `${folder}readme.txt`, `${folder}中文/名字.txt`].sort()
    )
  })

  it('webhook POSTs the object details as JSON to WEBHOOK_URL', async () => {
    await fromTemplate(`${runtime}-webhook`, `${runtime}-webhook`, `${runtime}-hook/`, {
      env: { WEBHOOK_URL: `${hookUrl}/cos-events?from=${runtime}` }
    })
    const invocation = await upload(`${runtime}-webhook`, `${runtime}-hook/report.csv`, Buffer.from('a,b\n1,2\n'))
    expect(invocation.status, JSON.stringify(invocation)).toBe('succeeded')
    const call = received.find((item) => item.path === `/cos-events?from=${runtime}`)
    expect(call?.contentType).toBe('application/json')
    expect(call?.body).toMatchObject({
      event: 'cos:ObjectCreated:Put',
      bucket: Bucket,
      key: `${runtime}-hook/report.csv`
    })
    expect(Number(call?.body.size)).toBe(8)
    expect(call?.body.requestId).toEqual(expect.any(String))
  })

  it('thumbnail writes thumbnails/<key>.txt from the upload', async () => {
    await fromTemplate(`${runtime}-thumbs`, `${runtime}-thumbnail`, `${runtime}-pics/`)
    const invocation = await upload(`${runtime}-thumbs`, `${runtime}-pics/cat.jpg`, Buffer.from('not really a jpeg'))
    expect(invocation.status, JSON.stringify(invocation)).toBe('succeeded')
    expect(await text(`thumbnails/${runtime}-pics/cat.jpg.txt`)).toMatch(
      new RegExp(`^thumbnail of ${runtime}-pics/cat.jpg: 17 bytes, first bytes 6e6f74`)
    )
  })
})
