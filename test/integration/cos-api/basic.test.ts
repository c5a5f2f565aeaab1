/** Service, bucket and object basics through cos-nodejs-sdk-v5 (virtual-host style). */
import { describe, expect, it } from 'vitest'
import { REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'basic-1250000000'
const Region = REGION

const fixture = useCosServer({ buckets: [Bucket] })

function codeOf(error: unknown): string {
  const e = error as { code?: string; error?: { Code?: string } }
  return e.error?.Code ?? e.code ?? String(error)
}

describe('buckets', () => {
  it('lists created buckets with their region', async () => {
    const data = await fixture.cos.getService({})
    expect(data.Buckets.map((b) => b.Name)).toContain(Bucket)
    expect(data.Buckets.find((b) => b.Name === Bucket)?.Location).toBe(REGION)
    expect(data.headers?.['x-cos-request-id']).toMatch(/^[A-Za-z0-9+/=]+$/)
  })

  it('HEAD answers 200 for a bucket and 404 NoSuchBucket-style for a missing one', async () => {
    const data = await fixture.cos.headBucket({ Bucket, Region })
    expect(data.statusCode).toBe(200)
    await expect(fixture.cos.headBucket({ Bucket: 'missing-1250000000', Region })).rejects.toMatchObject({
      statusCode: 404
    })
  })

  it('rejects a second create with BucketAlreadyOwnedByYou', async () => {
    const error = await fixture.cos.putBucket({ Bucket, Region }).catch((e: unknown) => e)
    expect(codeOf(error)).toBe('BucketAlreadyOwnedByYou')
    expect((error as { statusCode: number }).statusCode).toBe(409)
  })

  it('rejects invalid names with InvalidBucketName and too long names with BucketNameTooLong', async () => {
    const e2 = await fixture.cos.putBucket({ Bucket: '-lead-1250000000', Region }).catch((e: unknown) => e)
    expect(codeOf(e2)).toBe('InvalidBucketName')
    const long = 'a'.repeat(30) + '-1250000000'
    const e3 = await fixture.cos.putBucket({ Bucket: long, Region }).catch((e: unknown) => e)
    expect(codeOf(e3)).toBe('BucketNameTooLong')
  })

  it('refuses to delete a non-empty bucket and deletes an empty one', async () => {
    const b = 'todelete-1250000000'
    await fixture.cos.putBucket({ Bucket: b, Region })
    await fixture.cos.putObject({ Bucket: b, Region, Key: 'x', Body: 'x' })
    const error = await fixture.cos.deleteBucket({ Bucket: b, Region }).catch((e: unknown) => e)
    expect(codeOf(error)).toBe('BucketNotEmpty')
    await fixture.cos.deleteObject({ Bucket: b, Region, Key: 'x' })
    const done = await fixture.cos.deleteBucket({ Bucket: b, Region })
    expect(done.statusCode).toBe(204)
    const gone = await fixture.cos.getBucket({ Bucket: b, Region }).catch((e: unknown) => e)
    expect(codeOf(gone)).toBe('NoSuchBucket')
  })
})

describe('objects', () => {
  it('round-trips bytes, metadata and headers', async () => {
    const put = await fixture.cos.putObject({
      Bucket,
      Region,
      Key: 'docs/hello.txt',
      Body: 'hello world',
      ContentType: 'text/plain',
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="hello.txt"',
      Expires: 'Thu, 01 Dec 2030 16:00:00 GMT',
      StorageClass: 'STANDARD_IA',
      Headers: { 'x-cos-meta-color': 'blue' }
    })
    expect(put.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"')
    const got = await fixture.cos.getObject({ Bucket, Region, Key: 'docs/hello.txt' })
    expect(got.Body.toString()).toBe('hello world')
    expect(got.headers?.['content-type']).toBe('text/plain')
    expect(got.headers?.['cache-control']).toBe('max-age=60')
    expect(got.headers?.['content-disposition']).toBe('attachment; filename="hello.txt"')
    expect(got.headers?.['expires']).toBe('Thu, 01 Dec 2030 16:00:00 GMT')
    expect(got.headers?.['x-cos-meta-color']).toBe('blue')
    expect(got.headers?.['x-cos-storage-class']).toBe('STANDARD_IA')
    const head = await fixture.cos.headObject({ Bucket, Region, Key: 'docs/hello.txt' })
    expect(head.headers?.['content-length']).toBe('11')
    expect(head.ETag).toBe(put.ETag)
  })

  it('answers NoSuchKey and NoSuchBucket', async () => {
    expect(codeOf(await fixture.cos.getObject({ Bucket, Region, Key: 'nope' }).catch((e: unknown) => e))).toBe(
      'NoSuchKey'
    )
    expect(
      codeOf(await fixture.cos.getObject({ Bucket: 'nobucket-1250000000', Region, Key: 'x' }).catch((e: unknown) => e))
    ).toBe('NoSuchBucket')
    expect(
      codeOf(
        await fixture.cos
          .putObject({ Bucket: 'nobucket-1250000000', Region, Key: 'x', Body: 'x' })
          .catch((e: unknown) => e)
      )
    ).toBe('NoSuchBucket')
  })

  it('deletes idempotently with 204', async () => {
    await fixture.cos.putObject({ Bucket, Region, Key: 'gone.txt', Body: 'x' })
    expect((await fixture.cos.deleteObject({ Bucket, Region, Key: 'gone.txt' })).statusCode).toBe(204)
    expect((await fixture.cos.deleteObject({ Bucket, Region, Key: 'gone.txt' })).statusCode).toBe(204)
    expect(codeOf(await fixture.cos.headObject({ Bucket, Region, Key: 'gone.txt' }).catch((e: unknown) => e))).toBe(
      '404'
    )
  })

  it('checks Content-MD5: BadDigest on mismatch, InvalidDigest when malformed', async () => {
    const bad = await fixture.cos
      .putObject({ Bucket, Region, Key: 'md5', Body: 'abc', Headers: { 'Content-MD5': 'AAAAAAAAAAAAAAAAAAAAAA==' } })
      .catch((e: unknown) => e)
    expect(codeOf(bad)).toBe('BadDigest')
    const invalid = await fixture.cos
      .putObject({ Bucket, Region, Key: 'md5', Body: 'abc', Headers: { 'Content-MD5': 'nope' } })
      .catch((e: unknown) => e)
    expect(codeOf(invalid)).toBe('InvalidDigest')
    const good = await fixture.cos.putObject({
      Bucket,
      Region,
      Key: 'md5',
      Body: 'abc',
      Headers: { 'Content-MD5': Buffer.from('900150983cd24fb0d6963f7d28e17f72', 'hex').toString('base64') }
    })
    expect(good.statusCode).toBe(200)
  })
})
