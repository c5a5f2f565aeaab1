/**
 * Every mutation appends its ObjectEvent in the same commit (one per key for Delete
 * Multiple), with the request's id, source IP and Authorization; and concurrent writers
 * to one key never tear an object.
 */
import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { eventReader, REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'events-1250000000'
const Region = REGION

const fixture = useCosServer({ buckets: [Bucket] })

/** Events appended since the last call. */
const newEvents = eventReader(() => fixture.server.queue)

const md5 = (data: Uint8Array | string) => createHash('md5').update(data).digest('hex')

describe('object events', () => {
  it('PUT → cos:ObjectCreated:Put with meta, request id, source IP and Authorization', async () => {
    newEvents()
    const put = await fixture.cos.putObject({
      Bucket,
      Region,
      Key: 'photos/cat.jpg',
      Body: 'meow',
      ContentType: 'image/jpeg',
      CacheControl: 'no-cache',
      Headers: { 'x-cos-meta-mykey': 'myvalue' }
    })
    const [event, ...rest] = newEvents()
    expect(rest).toEqual([])
    expect(event).toMatchObject({
      name: 'cos:ObjectCreated:Put',
      bucket: Bucket,
      region: REGION,
      key: 'photos/cat.jpg',
      versionId: '',
      size: 4,
      etag: md5('meow'),
      meta: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'no-cache', 'x-cos-meta-mykey': 'myvalue' },
      requestId: put.headers?.['x-cos-request-id'],
      sourceIp: '127.0.0.1'
    })
    expect(event?.authorization).toMatch(/^q-sign-algorithm=sha1&q-ak=AKIDtest&/)
    expect(Math.abs((event?.time ?? 0) - Date.now())).toBeLessThan(60_000)
  })

  it('Copy, Complete Multipart Upload and Delete emit their events', async () => {
    await fixture.cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'photos/copy.jpg',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/photos/cat.jpg`
    })
    const { UploadId } = await fixture.cos.multipartInit({
      Bucket,
      Region,
      Key: 'mp.bin',
      Headers: { 'x-cos-meta-a': 'b' }
    })
    const part = await fixture.cos.multipartUpload({
      Bucket,
      Region,
      Key: 'mp.bin',
      UploadId,
      PartNumber: 1,
      Body: 'part'
    })
    await fixture.cos.multipartComplete({
      Bucket,
      Region,
      Key: 'mp.bin',
      UploadId,
      Parts: [{ PartNumber: 1, ETag: part.ETag }]
    })
    await fixture.cos.deleteObject({ Bucket, Region, Key: 'photos/copy.jpg' })
    await fixture.cos.deleteObject({ Bucket, Region, Key: 'photos/never-existed' })
    const events = newEvents()
    expect(events.map((e) => [e.name, e.key])).toEqual([
      ['cos:ObjectCreated:Copy', 'photos/copy.jpg'],
      ['cos:ObjectCreated:CompleteMultipartUpload', 'mp.bin'],
      ['cos:ObjectRemove:Delete', 'photos/copy.jpg']
    ])
    expect(events[0]?.meta['x-cos-meta-mykey']).toBe('myvalue')
    expect(events[1]?.meta['x-cos-meta-a']).toBe('b')
    expect(events[1]?.etag).toMatch(/-1$/)
    expect(events[1]?.size).toBe(4)
  })

  it('Delete Multiple emits one event per deleted key (AWS SDK, SigV4 Authorization)', async () => {
    for (const Key of ['d/1', 'd/2', 'd/3']) await fixture.s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))
    const puts = newEvents()
    expect(puts.map((e) => e.name)).toEqual(Array(3).fill('cos:ObjectCreated:Put'))
    expect(puts[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDtest\//)
    await fixture.s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'd/1' }, { Key: 'd/2' }, { Key: 'd/3' }, { Key: 'd/none' }] }
      })
    )
    const deletes = newEvents()
    expect(deletes.map((e) => [e.name, e.key])).toEqual([
      ['cos:ObjectRemove:Delete', 'd/1'],
      ['cos:ObjectRemove:Delete', 'd/2'],
      ['cos:ObjectRemove:Delete', 'd/3']
    ])
    expect(new Set(deletes.map((e) => e.requestId)).size).toBe(1)
  })

  it('failed writes emit nothing', async () => {
    await fixture.cos
      .putObject({ Bucket, Region, Key: 'bad', Body: 'x', Headers: { 'Content-MD5': 'AAAAAAAAAAAAAAAAAAAAAA==' } })
      .catch(() => undefined)
    await fixture.cos.putObject({ Bucket: 'nobucket-1250000000', Region, Key: 'x', Body: 'x' }).catch(() => undefined)
    expect(newEvents()).toEqual([])
  })
})

describe('concurrent writers to one key', () => {
  it('never tear an object: every read is exactly one writer’s bytes', async () => {
    const bodies = Array.from({ length: 12 }, () => randomBytes(256 * 1024 + Math.floor(Math.random() * 1000)))
    const valid = new Set(bodies.map((b) => md5(b)))
    const url = `http://127.0.0.1:${fixture.server.port}/${Bucket}/contended`
    await fetch(url, { method: 'PUT', body: bodies[0] })
    const reads: Promise<void>[] = []
    let stop = false
    const reader = async () => {
      while (!stop) {
        const res = await fetch(url)
        const bytes = Buffer.from(await res.arrayBuffer())
        expect(res.status).toBe(200)
        expect(valid.has(md5(bytes))).toBe(true)
        expect(res.headers.get('etag')).toBe(`"${md5(bytes)}"`)
      }
    }
    for (let i = 0; i < 4; i++) reads.push(reader())
    const writes = await Promise.all(bodies.map((body) => fetch(url, { method: 'PUT', body })))
    stop = true
    await Promise.all(reads)
    for (const res of writes) expect(res.status).toBe(200)
    const final = Buffer.from(await (await fetch(url)).arrayBuffer())
    expect(valid.has(md5(final))).toBe(true)
    const events = newEvents().filter((e) => e.key === 'contended')
    expect(events.length).toBe(bodies.length + 1)
    // the last committed event describes what is stored now
    expect(events[events.length - 1]?.etag).toBe(md5(final))
  })
})
