/**
 * GET of a small object is served from the read cache of latest versions (latest-read-cache.ts)
 * once read; every write path must be seen by the next GET all the same. Each case primes the
 * cache with a GET, then changes the cached key's inline bytes behind the store's back (a raw
 * UPDATE the store cannot see): a GET still answering the old bytes proves the cache serves
 * it; after the write path under test, the GET must answer the write's result.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LatestReadCache } from '../../../main/store/latest-read-cache.ts'
import { createObjectMetadata, type StoredVersion } from '../../../main/store/object-metadata.ts'
import { startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'readcache-1250000000'
let server: TestCosServer

beforeAll(async () => {
  server = await startTestCosServer()
  server.store.createBucket(Bucket, 'ap-guangzhou')
})
afterAll(async () => {
  await server.close()
})

const url = (key: string, query = '', bucket = Bucket): string =>
  `${server.endpoint}/${bucket}/${encodeURIComponent(key)}${query}`

async function put(key: string, body: Buffer, headers: Record<string, string> = {}, bucket = Bucket): Promise<void> {
  const res = await fetch(url(key, '', bucket), { method: 'PUT', body, headers })
  expect(res.status).toBe(200)
}

async function get(key: string, bucket = Bucket): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url(key, '', bucket))
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers }
}

/** PUT `body`, GET it (fills the cache), taint the stored bytes, and check the GET is cached. */
async function primed(key: string, body: Buffer, bucket = Bucket): Promise<void> {
  await put(key, body, {}, bucket)
  expect((await get(key, bucket)).bytes.equals(body)).toBe(true)
  const blobId = server.store.headObject(bucket, key).blobId as string
  server.db
    .prepare('UPDATE cos_objects SET inline_bytes = ? WHERE blob = ?')
    .run(Buffer.alloc(body.length, 0x2a), blobId)
  const cached = await get(key, bucket)
  expect(cached.bytes.equals(body)).toBe(true) // served from the cache, not the tainted row
}

describe('the read cache of latest versions', () => {
  it('PUT over a cached key', async () => {
    await primed('put', randomBytes(100))
    const next = randomBytes(120)
    await put('put', next, { 'Content-Type': 'text/plain', 'x-cos-meta-who': 'second' })
    const after = await get('put')
    expect(after.bytes.equals(next)).toBe(true)
    expect(after.headers.get('content-type')).toBe('text/plain')
    expect(after.headers.get('x-cos-meta-who')).toBe('second')
  })

  it('PUT of a large body (a blob file) over a cached inline key', async () => {
    await primed('grows', randomBytes(100))
    const big = randomBytes(200 * 1024)
    await put('grows', big)
    expect((await get('grows')).bytes.equals(big)).toBe(true)
  })

  it('DELETE of a cached key', async () => {
    await primed('gone', randomBytes(64))
    expect((await fetch(url('gone'), { method: 'DELETE' })).status).toBe(204)
    expect((await get('gone')).status).toBe(404)
  })

  it('multi-object delete (POST ?delete)', async () => {
    await primed('multi', randomBytes(64))
    const xml = '<Delete><Quiet>true</Quiet><Object><Key>multi</Key></Object></Delete>'
    const res = await fetch(`${server.endpoint}/${Bucket}?delete`, { method: 'POST', body: xml })
    expect(res.status).toBe(200)
    expect((await get('multi')).status).toBe(404)
  })

  it('PUT Object - Copy onto a cached key', async () => {
    const source = randomBytes(80)
    await put('copy-source', source)
    await primed('copy-target', randomBytes(90))
    const res = await fetch(url('copy-target'), {
      method: 'PUT',
      headers: { 'x-cos-copy-source': `${Bucket}.cos.ap-guangzhou.myqcloud.com/copy-source` }
    })
    expect(res.status).toBe(200)
    expect((await get('copy-target')).bytes.equals(source)).toBe(true)
  })

  it('Complete Multipart Upload onto a cached key', async () => {
    await primed('mpu', randomBytes(50))
    const init = await (await fetch(url('mpu', '?uploads'), { method: 'POST' })).text()
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init)![1]!
    const part = randomBytes(300)
    const up = await fetch(url('mpu', `?partNumber=1&uploadId=${uploadId}`), { method: 'PUT', body: part })
    const etag = up.headers.get('etag')!
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`
    expect((await fetch(url('mpu', `?uploadId=${uploadId}`), { method: 'POST', body: xml })).status).toBe(200)
    expect((await get('mpu')).bytes.equals(part)).toBe(true)
  })

  it('a snapshot load (importVersion) over a cached key', async () => {
    await primed('imported', randomBytes(70))
    const body = randomBytes(75)
    await server.store.importVersion(
      {
        bucket: Bucket,
        key: 'imported',
        versionId: 'null',
        isDeleteMarker: false,
        size: body.length,
        etag: 'e'.repeat(32),
        lastModified: Date.now(),
        storageClass: 'STANDARD',
        headers: { 'Content-Type': 'application/x-imported' }
      },
      body
    )
    const after = await get('imported')
    expect(after.bytes.equals(body)).toBe(true)
    expect(after.headers.get('content-type')).toBe('application/x-imported')
  })

  it('a change read inside its transaction is not cached: after a rollback the committed row is read', async () => {
    const body = randomBytes(60)
    await put('rolled-back', body)
    const meta = createObjectMetadata(server.db) // the store's statements, with a cache of their own
    const committed = meta.latestWithBytes(Bucket, 'rolled-back')!
    expect(committed.bytes?.equals(body)).toBe(true)
    const uncommitted = Buffer.from('not committed')
    expect(() =>
      server.db.transaction(() => {
        meta.clearLatest(Bucket, 'rolled-back')
        meta.insertVersion(
          { ...committed.version, versionId: 'v2', blobId: 'i-rollback', size: uncommitted.length },
          uncommitted
        )
        expect(meta.latestWithBytes(Bucket, 'rolled-back')!.bytes?.equals(uncommitted)).toBe(true)
        throw new Error('roll back')
      })()
    ).toThrow('roll back')
    expect(meta.latestWithBytes(Bucket, 'rolled-back')!.bytes?.equals(body)).toBe(true)
    expect((await get('rolled-back')).bytes.equals(body)).toBe(true)
  })

  it('bucket delete and re-create: the new bucket does not see the old objects', async () => {
    const other = 'readcache2-1250000000'
    server.store.createBucket(other, 'ap-guangzhou')
    await primed('k', randomBytes(40), other)
    expect((await fetch(url('k', '', other), { method: 'DELETE' })).status).toBe(204)
    expect((await fetch(`${server.endpoint}/${other}`, { method: 'DELETE' })).status).toBe(204)
    expect((await get('k', other)).status).toBe(404)
    server.store.createBucket(other, 'ap-guangzhou')
    expect((await get('k', other)).status).toBe(404)
  })
})

describe('the read cache on a versioned bucket', () => {
  const Versioned = 'readcachev-1250000000'
  beforeAll(() => {
    server.store.createBucket(Versioned, 'ap-guangzhou')
  })

  it('versioning on, a new version, a delete marker, deleting the marker, deleting a version', async () => {
    const first = randomBytes(30)
    await primed('v', first, Versioned)
    const tainted = Buffer.alloc(first.length, 0x2a)
    server.store.setVersioning(Versioned, 'Enabled') // forgets everything: the tainted row shows
    expect((await get('v', Versioned)).bytes.equals(tainted)).toBe(true)

    const second = randomBytes(31)
    await put('v', second, {}, Versioned)
    const got = await get('v', Versioned)
    expect(got.bytes.equals(second)).toBe(true)
    const secondId = got.headers.get('x-cos-version-id')!

    const del = await fetch(url('v', '', Versioned), { method: 'DELETE' })
    expect(del.headers.get('x-cos-delete-marker')).toBe('true')
    const markerId = del.headers.get('x-cos-version-id')!
    expect((await get('v', Versioned)).status).toBe(404)

    await fetch(url('v', `?versionId=${markerId}`, Versioned), { method: 'DELETE' })
    expect((await get('v', Versioned)).bytes.equals(second)).toBe(true) // promoted, and now cached
    await fetch(url('v', `?versionId=${secondId}`, Versioned), { method: 'DELETE' })
    expect((await get('v', Versioned)).bytes.equals(tainted)).toBe(true) // the 'null' version is latest again
  })

  it('versioning suspended: a PUT replaces the null version', async () => {
    server.store.setVersioning(Versioned, 'Suspended')
    await primed('s', randomBytes(20), Versioned)
    const next = randomBytes(21)
    await put('s', next, {}, Versioned)
    expect((await get('s', Versioned)).bytes.equals(next)).toBe(true)
  })
})

describe('LatestReadCache bounds', () => {
  const version = (key: string): StoredVersion => ({
    rowId: 1,
    bucket: 'b',
    key,
    versionId: 'null',
    isLatest: true,
    isDeleteMarker: false,
    blobId: 'i1',
    size: 1000,
    etag: 'e',
    lastModified: 0,
    storageClass: 'STANDARD',
    headers: { 'Content-Type': 'text/plain' }
  })

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const cache = new LatestReadCache({ maxEntries: 2, maxBytes: 1 << 20 })
    for (const key of ['a', 'b', 'c']) cache.set(version(key), Buffer.alloc(10))
    expect(cache.size).toBe(2)
    expect(cache.get('b', 'a')).toBeUndefined()
    expect(cache.get('b', 'c')?.version.key).toBe('c')
  })

  it('keeps at most maxBytes, and never an entry larger than that', () => {
    const cache = new LatestReadCache({ maxEntries: 100, maxBytes: 4000 })
    for (const key of ['a', 'b', 'c']) cache.set(version(key), Buffer.alloc(1000))
    expect(cache.size).toBe(2) // 3 × (1000 + 512) > 4000
    cache.set(version('huge'), Buffer.alloc(5000))
    expect(cache.get('b', 'huge')).toBeUndefined()
    expect(cache.size).toBe(2)
  })

  it('hands out frozen entries; forget and clear drop them', () => {
    const cache = new LatestReadCache()
    const entry = cache.set(version('a'), Buffer.alloc(1))
    expect(Object.isFrozen(entry.version)).toBe(true)
    expect(Object.isFrozen(entry.version.headers)).toBe(true)
    cache.set(version('b'), Buffer.alloc(1))
    cache.forget('b', 'a')
    expect(cache.get('b', 'a')).toBeUndefined()
    cache.clear()
    expect(cache.size).toBe(0)
  })
})
