/**
 * COS behaviours SDK users meet (issue 12 item 4), each through cos-nodejs-sdk-v5:
 * Content-Type from the key's extension, UTF-8 metadata, copy onto itself, owner ids,
 * origin-pull on HEAD and replicated delete markers keeping their version id.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type COS from 'cos-nodejs-sdk-v5'
import { ManualClock } from '../../../main/core/clock.ts'
import { REPLICATION_DELAY_MS } from '../../../main/storage/replication-service.ts'
import { APPID, cosClient, REGION, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'fidelity-1250000000'
const Region = REGION
const OWNER = `qcs::cam::uin/${APPID}:uin/${APPID}`

let server: TestCosServer
let cos: COS
let clock: ManualClock
let origin: Server
let originHost: string
const originHits: string[] = []

function errorOf(error: unknown): { code: string; status: number; message: string } {
  const e = error as { statusCode?: number; code?: string; error?: { Code?: string; Message?: string } }
  return { code: e.error?.Code ?? e.code ?? '', status: e.statusCode ?? 0, message: e.error?.Message ?? '' }
}

beforeAll(async () => {
  origin = createServer((req, res) => {
    originHits.push(`${req.method} ${req.url}`)
    if ((req.url ?? '').startsWith('/m/')) {
      res.writeHead(200, { 'Content-Type': 'text/csv' })
      res.end('a,b\n1,2\n')
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  originHost = `127.0.0.1:${(origin.address() as AddressInfo).port}`
  clock = new ManualClock(Date.now())
  server = await startTestCosServer({ clock })
  cos = cosClient(server.port)
  await cos.putBucket({ Bucket, Region })
})
afterAll(async () => {
  await server.close()
  await new Promise((resolve) => origin.close(resolve))
})

describe('Content-Type from the key when the request gives none', () => {
  it('PUT: 1.zip → application/zip, a.txt → text/plain, unknown → application/octet-stream', async () => {
    for (const [Key, type] of [
      ['1.zip', 'application/zip'],
      ['a.txt', 'text/plain'],
      ['photos/cat.JPG', 'image/jpeg'],
      ['noext', 'application/octet-stream']
    ]) {
      await cos.putObject({ Bucket, Region, Key, Body: 'x' })
      const head = await cos.headObject({ Bucket, Region, Key })
      expect([Key, head.headers?.['content-type']]).toEqual([Key, type])
    }
  })

  it('PUT keeps a Content-Type the client gives', async () => {
    await cos.putObject({ Bucket, Region, Key: 'given.txt', Body: 'x', ContentType: 'application/x-custom' })
    const head = await cos.headObject({ Bucket, Region, Key: 'given.txt' })
    expect(head.headers?.['content-type']).toBe('application/x-custom')
  })

  it('multipart upload (initiate without a type) and POST Object', async () => {
    const init = await cos.multipartInit({ Bucket, Region, Key: 'big/archive.zip' })
    const part = await cos.multipartUpload({
      Bucket,
      Region,
      Key: 'big/archive.zip',
      UploadId: init.UploadId,
      PartNumber: 1,
      Body: 'zip bytes'
    })
    await cos.multipartComplete({
      Bucket,
      Region,
      Key: 'big/archive.zip',
      UploadId: init.UploadId,
      Parts: [{ PartNumber: 1, ETag: part.ETag }]
    })
    const head = await cos.headObject({ Bucket, Region, Key: 'big/archive.zip' })
    expect(head.headers?.['content-type']).toBe('application/zip')

    const form = new FormData()
    form.append('key', 'posted/readme.txt')
    form.append('file', new Blob(['posted']), 'whatever')
    const res = await fetch(`${server.endpoint}/${Bucket}`, { method: 'POST', body: form })
    expect(res.status).toBeLessThan(300)
    const posted = await cos.headObject({ Bucket, Region, Key: 'posted/readme.txt' })
    expect(posted.headers?.['content-type']).toBe('text/plain')
  })
})

describe('x-cos-meta-* with non-ASCII values', () => {
  it('round-trips as UTF-8 through PUT, HEAD and GET', async () => {
    // Node's HTTP client refuses characters above U+00FF in headers, so the UTF-8 bytes are
    // sent as latin1 characters: the bytes on the wire are the UTF-8 of the value.
    const value = '测试 café ✓'
    const wire = Buffer.from(value, 'utf8').toString('latin1')
    await cos.putObject({ Bucket, Region, Key: 'meta.txt', Body: 'm', Headers: { 'x-cos-meta-note': wire } })
    const head = await cos.headObject({ Bucket, Region, Key: 'meta.txt' })
    const got = head.headers?.['x-cos-meta-note'] as string
    expect(Buffer.from(got, 'latin1').toString('utf8')).toBe(value)
    const raw = await fetch(`${server.endpoint}/${Bucket}/meta.txt`)
    // fetch decodes header bytes as latin1 as well
    expect(Buffer.from(raw.headers.get('x-cos-meta-note') ?? '', 'latin1').toString('utf8')).toBe(value)
  })
})

describe('PUT Copy onto itself', () => {
  it('is refused with InvalidRequest when nothing changes', async () => {
    await cos.putObject({ Bucket, Region, Key: 'self.txt', Body: 's', Headers: { 'x-cos-meta-a': '1' } })
    const error = await cos
      .putObjectCopy({ Bucket, Region, Key: 'self.txt', CopySource: `${Bucket}.cos.${Region}.myqcloud.com/self.txt` })
      .catch((e: unknown) => e)
    expect(errorOf(error)).toMatchObject({ code: 'InvalidRequest', status: 400 })
    expect(errorOf(error).message).toContain('without changing')
  })

  it('is allowed with Replaced metadata or a new storage class', async () => {
    const CopySource = `${Bucket}.cos.${Region}.myqcloud.com/self.txt`
    await cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'self.txt',
      CopySource,
      MetadataDirective: 'Replaced',
      Headers: { 'x-cos-meta-a': '2' }
    })
    expect((await cos.headObject({ Bucket, Region, Key: 'self.txt' })).headers?.['x-cos-meta-a']).toBe('2')
    await cos.putObjectCopy({ Bucket, Region, Key: 'self.txt', CopySource, StorageClass: 'STANDARD_IA' })
    expect((await cos.headObject({ Bucket, Region, Key: 'self.txt' })).headers?.['x-cos-storage-class']).toBe(
      'STANDARD_IA'
    )
    const again = await cos
      .putObjectCopy({ Bucket, Region, Key: 'self.txt', CopySource, StorageClass: 'STANDARD_IA' })
      .catch((e: unknown) => e)
    expect(errorOf(again).code).toBe('InvalidRequest')
  })
})

describe('owner and initiator ids', () => {
  it('List Objects, List Object Versions and multipart listings use qcs::cam::uin/<uin>:uin/<uin>', async () => {
    const list = await cos.getBucket({ Bucket, Region, Prefix: 'a.txt' })
    expect(list.Contents[0]?.Owner?.ID).toBe(OWNER)
    const versions = await cos.listObjectVersions({ Bucket, Region, Prefix: 'a.txt' })
    expect(versions.Versions[0]?.Owner?.ID).toBe(OWNER)
    const init = await cos.multipartInit({ Bucket, Region, Key: 'pending.bin' })
    const uploads = await cos.multipartList({ Bucket, Region, Prefix: 'pending.bin', Delimiter: '' })
    expect(uploads.Upload[0]?.Initiator?.ID).toBe(OWNER)
    expect(uploads.Upload[0]?.Owner?.ID).toBe(OWNER)
    const parts = await cos.multipartListPart({ Bucket, Region, Key: 'pending.bin', UploadId: init.UploadId })
    expect(parts.Initiator?.ID).toBe(OWNER)
  })
})

describe('origin-pull on HEAD', () => {
  it('a HEAD miss under a Mirror rule fetches and stores the object; Proxy and Redirect answer too', async () => {
    const OriginBucket = 'headorigin-1250000000'
    await cos.putBucket({ Bucket: OriginBucket, Region })
    const rule = (priority: number, type: string, prefix: string) => ({
      RulePriority: priority,
      OriginType: type,
      OriginCondition: { HTTPStatusCode: 404, Prefix: prefix },
      OriginParameter: { Protocol: 'HTTP', FollowQueryString: 'true', HttpRedirectCode: '302' },
      OriginInfo: { HostInfo: { HostName: originHost } }
    })
    await cos.putBucketOrigin({
      Bucket: OriginBucket,
      Region,
      OriginRule: [rule(1, 'Mirror', 'm/'), rule(2, 'Proxy', 'p/'), rule(3, 'Redirect', 'r/')] as never
    })
    const head = await cos.headObject({ Bucket: OriginBucket, Region, Key: 'm/data.csv' })
    expect(head.statusCode).toBe(200)
    expect(head.headers?.['content-type']).toBe('text/csv')
    expect(head.headers?.['content-length']).toBe('8')
    const events = server.queue.pending(0, 10_000).map((q) => q.event)
    expect(events.filter((e) => e.key === 'm/data.csv').map((e) => e.name)).toEqual(['cos:ObjectCreated:Origin'])
    expect((await cos.getObject({ Bucket: OriginBucket, Region, Key: 'm/data.csv' })).Body.toString()).toBe(
      'a,b\n1,2\n'
    )
    expect(originHits.filter((hit) => hit.includes('/m/data.csv'))).toHaveLength(1)

    const proxied = await fetch(`${server.endpoint}/${OriginBucket}/m2/none`, { method: 'HEAD' })
    expect(proxied.status).toBe(404)
    const proxy = await fetch(`${server.endpoint}/${OriginBucket}/p/x.csv`, { method: 'HEAD' })
    expect(proxy.status).toBe(404) // the origin has no /p/ → NoSuchKey
    const redirect = await fetch(`${server.endpoint}/${OriginBucket}/r/page`, { method: 'HEAD', redirect: 'manual' })
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toBe(`http://${originHost}/r/page`)
  })
})

describe('replicated delete markers', () => {
  it('keep the version id of the source marker', async () => {
    const Source = 'repsrc-1250000000'
    const Destination = 'repdst-1250000000'
    for (const b of [Source, Destination]) {
      await cos.putBucket({ Bucket: b, Region })
      await cos.putBucketVersioning({ Bucket: b, Region, VersioningConfiguration: { Status: 'Enabled' } })
    }
    await cos.putBucketReplication({
      Bucket: Source,
      Region,
      ReplicationConfiguration: {
        Role: `qcs::cam::uin/${APPID}:uin/${APPID}`,
        Rules: [
          {
            ID: 'all',
            Status: 'Enabled',
            Prefix: '',
            Destination: { Bucket: `qcs::cos:${Region}::${Destination}` },
            DeleteMarkerReplication: { Status: 'Enabled' }
          }
        ]
      } as never
    })
    const put = await cos.putObject({ Bucket: Source, Region, Key: 'doc.txt', Body: 'd' })
    clock.advance(REPLICATION_DELAY_MS)
    await expect
      .poll(
        async () =>
          (await cos.headObject({ Bucket: Source, Region, Key: 'doc.txt' })).headers?.['x-cos-replication-status']
      )
      .toBe('COMPLETED')
    const deleted = await cos.deleteObject({ Bucket: Source, Region, Key: 'doc.txt' })
    const markerId = deleted.headers?.['x-cos-version-id'] as string
    expect(markerId).toMatch(/\S/)
    clock.advance(REPLICATION_DELAY_MS)
    const markerIn = async (b: string) =>
      (await cos.listObjectVersions({ Bucket: b, Region, Prefix: 'doc.txt' })).DeleteMarkers.map((m) => m.VersionId)
    await expect.poll(() => markerIn(Destination), { timeout: 10_000 }).toEqual([markerId])
    const versions = await cos.listObjectVersions({ Bucket: Destination, Region, Prefix: 'doc.txt' })
    expect(versions.Versions.map((v) => v.VersionId)).toEqual([put.headers?.['x-cos-version-id']])
  })
})
