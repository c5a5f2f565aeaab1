/**
 * The event types that come from COS features beyond plain writes — POST Object, origin-pull,
 * replication, delete markers, archive restore — travel the whole path: the official SDK (or a
 * browser-style form) against createApp, the durable queue, a COS trigger, and a real Node
 * function whose run receives SCF's event JSON. The clock runs 600× so a 1-minute Expedited
 * restore completes in a tenth of a second.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import type { Invocation, InvocationDetail } from '../../../preload/contract/invocations.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'
import { cosClient } from '../../helpers/cos-server.ts'

const Region = 'ap-guangzhou'
const Main = 'features-1250000000'
const Versioned = 'versioned-1250000000'
const Replica = 'replica-1250000000'

let app: App
let dataDir: string
let cos: COS
let origin: Server

const api = appApiClient(() => app)

/** The finished invocation of `recorder` for this bucket, key and event name (waits up to 20 s). */
async function delivered(bucket: string, key: string, eventName: string): Promise<InvocationDetail> {
  for (let i = 0; i < 400; i++) {
    const list = await api<{ invocations: Invocation[] }>(
      'GET',
      `/api/invocations?function=recorder&key=${encodeURIComponent(key)}`
    )
    const found = list.invocations.find(
      (inv) => inv.bucket === bucket && inv.eventName === eventName && inv.status === 'succeeded'
    )
    if (found) return api<InvocationDetail>('GET', `/api/invocations/${found.requestId}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no ${eventName} delivery for ${bucket}/${key}`)
}

function record(detail: InvocationDetail): { cos: Record<string, unknown>; event: Record<string, unknown> } {
  return (detail.event as { Records: { cos: Record<string, unknown>; event: Record<string, unknown> }[] }).Records[0]!
}

const trigger = (bucket: string, event: string, prefix = ''): Promise<unknown> =>
  api('POST', '/api/triggers', { functionName: 'recorder', bucket, event, prefix })

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-bus-features-'))
  app = await createApp({ dataDir, port: 0, uiPort: 0, clockSpeed: 600 })
  cos = cosClient(app.cosPort)
  origin = createServer((req, res) => {
    res.writeHead(req.url === '/m/from-origin.txt' ? 200 : 404, { 'content-type': 'text/plain' })
    res.end('pulled from the origin')
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))

  for (const Bucket of [Main, Versioned, Replica]) await cos.putBucket({ Bucket, Region })
  for (const Bucket of [Versioned, Replica]) {
    await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } })
  }
  await api('POST', '/api/functions', {
    name: 'recorder',
    code: {
      type: 'files',
      files: {
        'index.js':
          'exports.main_handler = async (event) => event.Records[0].event.eventName + " " + event.Records[0].cos.cosObject.key\n'
      }
    }
  })
  await trigger(Main, 'cos:ObjectCreated:Post', 'post/')
  await trigger(Main, 'cos:ObjectCreated:Origin', 'm/')
  await trigger(Main, 'cos:ObjectRestore:Post')
  await trigger(Main, 'cos:ObjectRestore:Completed')
  await trigger(Versioned, 'cos:ObjectRemove:DeleteMarkerCreated')
  await trigger(Replica, 'cos:ObjectCreated:Replication')
})

afterAll(async () => {
  await app?.stop()
  origin?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('event types from COS features reach functions through the bus', () => {
  it('cos:ObjectCreated:Post from a browser-style form upload', async () => {
    const form = new FormData()
    form.append('key', 'post/${filename}')
    form.append('x-cos-meta-origin', 'form')
    form.append('file', new Blob(['posted']), 'photo.txt')
    const response = await fetch(`${app.cosEndpoint}/${Main}`, { method: 'POST', body: form })
    expect(response.status).toBeLessThan(300)
    const detail = await delivered(Main, 'post/photo.txt', 'cos:ObjectCreated:Post')
    const { cos: cosPart, event } = record(detail)
    expect(event.eventName).toBe('cos:ObjectCreated:Post')
    expect(cosPart.cosObject).toMatchObject({
      key: '/1250000000/features/post/photo.txt',
      size: 6,
      meta: { 'x-cos-meta-origin': 'form' }
    })
  })

  it('cos:ObjectCreated:Origin when a Mirror rule pulls a missed key', async () => {
    await cos.putBucketOrigin({
      Bucket: Main,
      Region,
      OriginRule: [
        {
          RulePriority: 1,
          OriginType: 'Mirror',
          OriginCondition: { HTTPStatusCode: 404, Prefix: 'm/' },
          OriginParameter: { Protocol: 'HTTP' },
          OriginInfo: { HostInfo: { HostName: `127.0.0.1:${(origin.address() as AddressInfo).port}` } }
        }
      ] as never
    })
    const got = await fetch(`${app.cosEndpoint}/${Main}/m/from-origin.txt`)
    expect(await got.text()).toBe('pulled from the origin')
    const detail = await delivered(Main, 'm/from-origin.txt', 'cos:ObjectCreated:Origin')
    expect(record(detail).cos.cosObject).toMatchObject({ key: '/1250000000/features/m/from-origin.txt', size: 22 })
  })

  it('cos:ObjectRestore:Post at once and cos:ObjectRestore:Completed when the job finishes', async () => {
    await cos.putObject({ Bucket: Main, Region, Key: 'cold.txt', Body: 'frozen', StorageClass: 'ARCHIVE' })
    await cos.restoreObject({
      Bucket: Main,
      Region,
      Key: 'cold.txt',
      RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' } }
    })
    const posted = await delivered(Main, 'cold.txt', 'cos:ObjectRestore:Post')
    const completed = await delivered(Main, 'cold.txt', 'cos:ObjectRestore:Completed')
    expect(record(posted).event.eventName).toBe('cos:ObjectRestore:Post')
    expect(record(completed).event.eventName).toBe('cos:ObjectRestore:Completed')
    const restored = await fetch(`${app.cosEndpoint}/${Main}/cold.txt`)
    expect(await restored.text()).toBe('frozen')
  })

  it('cos:ObjectRemove:DeleteMarkerCreated with the marker version id in vid', async () => {
    await cos.putObject({ Bucket: Versioned, Region, Key: 'gone.txt', Body: 'v1' })
    const deleted = await cos.deleteObject({ Bucket: Versioned, Region, Key: 'gone.txt' })
    const markerId = deleted.headers?.['x-cos-version-id']
    expect(markerId).toBeTruthy()
    const detail = await delivered(Versioned, 'gone.txt', 'cos:ObjectRemove:DeleteMarkerCreated')
    expect(record(detail).cos.cosObject).toMatchObject({ vid: markerId })
  })

  it('cos:ObjectCreated:Replication on the destination bucket', async () => {
    await cos.putBucketReplication({
      Bucket: Versioned,
      Region,
      ReplicationConfiguration: {
        Role: 'qcs::cam::uin/100000000001:uin/100000000001',
        Rules: [
          { ID: 'all', Status: 'Enabled', Prefix: 'rep/', Destination: { Bucket: `qcs::cos:${Region}::${Replica}` } }
        ]
      } as never
    })
    const put = await cos.putObject({ Bucket: Versioned, Region, Key: 'rep/copy-me.txt', Body: 'replicate' })
    const detail = await delivered(Replica, 'rep/copy-me.txt', 'cos:ObjectCreated:Replication')
    expect(record(detail).cos).toMatchObject({
      cosBucket: { name: 'replica', appid: '1250000000', region: 'gz' },
      cosObject: { key: '/1250000000/replica/rep/copy-me.txt', vid: put.headers?.['x-cos-version-id'] }
    })
  })
})
