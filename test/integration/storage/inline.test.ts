/**
 * Small bodies (≤ INLINE_MAX_BYTES) live in the database row, not in a blob file: they are
 * served with Range and conditionals, copied (PUT Copy, Upload Part - Copy), read after a
 * restart, and their rows go with the versions that reference them. Bodies of unknown
 * length (POST Object, chunked uploads) are inline when they turn out small.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client
} from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INLINE_MAX_BYTES, isInlineBlobId } from '../../../main/store/inline-blobs.ts'
import { s3Client, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'inline-1250000000'
const ctx = { requestId: 'test', sourceIp: '127.0.0.1', authorization: '' }
const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex')
const dataDir = mkdtempSync(join(tmpdir(), 'cos-inline-'))
let server: TestCosServer
let s3: S3Client

beforeAll(async () => {
  server = await startTestCosServer({ dataDir })
  s3 = s3Client(server.port)
  server.store.createBucket(Bucket, 'ap-guangzhou')
})
afterAll(async () => {
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
})

function blobFiles(): string[] {
  const root = join(dataDir, 'blobs')
  if (!existsSync(root)) return []
  return readdirSync(root).flatMap((dir) => readdirSync(join(root, dir)))
}

function inlineRows(): number {
  return (
    server.db.prepare('SELECT COUNT(*) AS n FROM cos_objects WHERE inline_bytes IS NOT NULL').get() as { n: number }
  ).n
}

function blobIdOf(key: string): string {
  return server.store.headObject(Bucket, key).blobId as string
}

async function getBytes(key: string, range?: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${server.endpoint}/${Bucket}/${encodeURIComponent(key)}`, {
    headers: range ? { Range: range } : {}
  })
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) }
}

describe('inline objects', () => {
  it('keeps bodies up to the threshold in the database and larger ones in blob files', async () => {
    const files = blobFiles().length
    const small = randomBytes(INLINE_MAX_BYTES)
    const large = randomBytes(INLINE_MAX_BYTES + 1)
    const putSmall = await s3.send(new PutObjectCommand({ Bucket, Key: 'small', Body: small }))
    const putLarge = await s3.send(new PutObjectCommand({ Bucket, Key: 'large', Body: large }))
    const putEmpty = await s3.send(new PutObjectCommand({ Bucket, Key: 'empty', Body: Buffer.alloc(0) }))
    expect(putSmall.ETag).toBe(`"${md5(small)}"`)
    expect(putLarge.ETag).toBe(`"${md5(large)}"`)
    expect(putEmpty.ETag).toBe(`"${md5(Buffer.alloc(0))}"`)
    expect(isInlineBlobId(blobIdOf('small'))).toBe(true)
    expect(isInlineBlobId(blobIdOf('empty'))).toBe(true)
    expect(isInlineBlobId(blobIdOf('large'))).toBe(false)
    expect(blobFiles().length).toBe(files + 1)
    expect((await getBytes('small')).bytes.equals(small)).toBe(true)
    expect((await getBytes('large')).bytes.equals(large)).toBe(true)
    expect((await getBytes('empty')).bytes.length).toBe(0)
  })

  it('serves Range and conditional GETs of an inline object', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'digits', Body: '0123456789' }))
    expect(isInlineBlobId(blobIdOf('digits'))).toBe(true)
    const part = await getBytes('digits', 'bytes=2-4')
    expect(part.status).toBe(206)
    expect(part.bytes.toString()).toBe('234')
    expect((await getBytes('digits', 'bytes=-3')).bytes.toString()).toBe('789')
    expect((await getBytes('digits', 'bytes=10-')).status).toBe(416)
    const etag = `"${md5(Buffer.from('0123456789'))}"`
    const url = `${server.endpoint}/${Bucket}/digits`
    expect((await fetch(url, { headers: { 'If-None-Match': etag } })).status).toBe(304)
    expect((await fetch(url, { headers: { 'If-Match': '"nope"' } })).status).toBe(412)
    const matched = await fetch(url, { headers: { 'If-Match': etag } })
    expect(await matched.text()).toBe('0123456789')
  })

  it('copies an inline object to a new inline blob (PUT Copy) and into a multipart part', async () => {
    const body = randomBytes(3000)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'source', Body: body }))
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/source` }))
    expect(isInlineBlobId(blobIdOf('copy'))).toBe(true)
    expect(blobIdOf('copy')).not.toBe(blobIdOf('source'))
    expect((await getBytes('copy')).bytes.equals(body)).toBe(true)

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'assembled' }))
    const first = randomBytes(5 * 1024 * 1024)
    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'assembled', UploadId, PartNumber: 1, Body: first }))
    const p2 = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'assembled',
        UploadId,
        PartNumber: 2,
        CopySource: `${Bucket}/source`,
        CopySourceRange: 'bytes=100-1099'
      })
    )
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'assembled',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult?.ETag }
          ]
        }
      })
    )
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'assembled' }))
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) as Uint8Array)
    expect(bytes.equals(Buffer.concat([first, body.subarray(100, 1100)]))).toBe(true)
  })

  it('deletes the inline row with the version that referenced it (overwrite, delete, versions)', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'churn', Body: 'one' }))
    const rows = inlineRows()
    await s3.send(new PutObjectCommand({ Bucket, Key: 'churn', Body: 'two' }))
    expect(inlineRows()).toBe(rows)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'churn', Body: randomBytes(INLINE_MAX_BYTES + 10) }))
    expect(inlineRows()).toBe(rows - 1)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'churn', Body: 'three' }))
    expect(inlineRows()).toBe(rows)
    server.store.deleteObject(Bucket, 'churn', undefined, ctx)
    expect(inlineRows()).toBe(rows - 1)

    const versioned = 'inline-versions-1250000000'
    server.store.createBucket(versioned, 'ap-guangzhou')
    server.store.setVersioning(versioned, 'Enabled')
    const before = inlineRows()
    const v1 = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'k', Body: 'v1' }))
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'k', Body: 'v2' }))
    server.store.deleteObject(versioned, 'k', undefined, ctx) // a delete marker keeps both versions
    expect(inlineRows()).toBe(before + 2)
    server.store.deleteObject(versioned, 'k', v1.VersionId, ctx)
    expect(inlineRows()).toBe(before + 1)
  })

  it('makes a body of unknown length inline when it turns out small, a file otherwise', async () => {
    const put = (key: string, bytes: Buffer) =>
      server.store.putObject(
        Bucket,
        key,
        Readable.from(chunks(bytes, 1000)),
        { headers: { 'Content-Type': '' }, storageClass: 'STANDARD' },
        ctx
      )
    const small = randomBytes(20_000)
    const large = randomBytes(INLINE_MAX_BYTES * 3 + 7)
    expect((await put('unknown-small', small)).etag).toBe(md5(small))
    expect((await put('unknown-large', large)).etag).toBe(md5(large))
    expect(isInlineBlobId(blobIdOf('unknown-small'))).toBe(true)
    expect(isInlineBlobId(blobIdOf('unknown-large'))).toBe(false)
    expect((await getBytes('unknown-large')).bytes.equals(large)).toBe(true)
  })

  it('rejects a wrong Content-MD5 or length of an inline body and stores nothing', async () => {
    const rows = inlineRows()
    const res = await fetch(`${server.endpoint}/${Bucket}/bad-digest`, {
      method: 'PUT',
      body: 'hello',
      headers: { 'Content-MD5': createHash('md5').update('other').digest('base64') }
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>BadDigest</Code>')
    expect(inlineRows()).toBe(rows)
    expect((await getBytes('bad-digest')).status).toBe(404)
  })

  it('reads inline objects after a restart', async () => {
    const body = randomBytes(1234)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'kept', Body: body }))
    await server.close()
    server = await startTestCosServer({ dataDir })
    s3 = s3Client(server.port)
    expect((await getBytes('kept')).bytes.equals(body)).toBe(true)
    expect((await getBytes('kept', 'bytes=1000-')).bytes.equals(body.subarray(1000))).toBe(true)
  })
})

function* chunks(bytes: Buffer, size: number): Iterable<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}
