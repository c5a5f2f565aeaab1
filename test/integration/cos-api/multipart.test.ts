/** Multipart uploads: the SDK's 20 MB slice upload, the low-level calls and their errors. */
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand
} from '@aws-sdk/client-s3'
import { REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'multipart-1250000000'
const Region = REGION
const MiB = 1024 * 1024

const fixture = useCosServer({ buckets: [Bucket] })

function codeOf(error: unknown): string {
  const e = error as { code?: string; error?: { Code?: string }; Code?: string; name?: string }
  return e.error?.Code ?? e.Code ?? e.code ?? e.name ?? String(error)
}

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex')

describe('SDK multipart helper', () => {
  it('uploads 20 MB with sliceUploadFile and reads back the same bytes', async () => {
    const data = randomBytes(20 * MiB)
    const file = join(fixture.server.dataDir, 'upload-20mb.bin')
    writeFileSync(file, data)
    const result = await fixture.cos.sliceUploadFile({
      Bucket,
      Region,
      Key: 'big/20mb.bin',
      FilePath: file,
      ChunkSize: 4 * MiB
    })
    expect(result.ETag).toMatch(/^"[0-9a-f]{32}-5"$/)
    const got = await fixture.cos.getObject({ Bucket, Region, Key: 'big/20mb.bin' })
    expect(got.Body.length).toBe(data.length)
    expect(md5(got.Body)).toBe(md5(data))
    const uploads = await fixture.cos.multipartList({ Bucket, Region, Prefix: '', Delimiter: '' })
    expect(uploads.Upload).toEqual([])
  })
})

describe('low-level multipart calls (COS SDK)', () => {
  it('initiates, uploads, lists parts and uploads, completes', async () => {
    const Key = 'parts/obj.bin'
    const init = await fixture.cos.multipartInit({
      Bucket,
      Region,
      Key,
      ContentType: 'application/x-test',
      Headers: { 'x-cos-meta-kind': 'mp' }
    })
    const UploadId = init.UploadId
    const part1 = randomBytes(MiB)
    const part2 = Buffer.from('tail')
    const p1 = await fixture.cos.multipartUpload({ Bucket, Region, Key, UploadId, PartNumber: 1, Body: part1 })
    const p2 = await fixture.cos.multipartUpload({ Bucket, Region, Key, UploadId, PartNumber: 2, Body: part2 })
    expect(p1.ETag).toBe(`"${md5(part1)}"`)

    const listed = await fixture.cos.multipartListPart({ Bucket, Region, Key, UploadId })
    expect(listed.Part.map((p) => [p.PartNumber, p.Size])).toEqual([
      ['1', String(MiB)],
      ['2', '4']
    ])
    const uploads = await fixture.cos.multipartList({ Bucket, Region, Prefix: 'parts/', Delimiter: '' })
    expect(uploads.Upload.map((u) => u.UploadId)).toEqual([UploadId])

    const done = await fixture.cos.multipartComplete({
      Bucket,
      Region,
      Key,
      UploadId,
      Parts: [
        { PartNumber: 1, ETag: p1.ETag },
        { PartNumber: 2, ETag: p2.ETag }
      ]
    })
    const expected = md5(Buffer.concat([Buffer.from(md5(part1), 'hex'), Buffer.from(md5(part2), 'hex')])) + '-2'
    expect(done.ETag).toBe(`"${expected}"`)
    const got = await fixture.cos.getObject({ Bucket, Region, Key })
    expect(md5(got.Body)).toBe(md5(Buffer.concat([part1, part2])))
    expect(got.headers?.['content-type']).toBe('application/x-test')
    expect(got.headers?.['x-cos-meta-kind']).toBe('mp')
    const again = await fixture.cos.multipartListPart({ Bucket, Region, Key, UploadId }).catch((e: unknown) => e)
    expect(codeOf(again)).toBe('NoSuchUpload')
  })

  it('checks the part list: InvalidPart, InvalidPartOrder, EntityTooSmall', async () => {
    const Key = 'parts/bad.bin'
    const { UploadId } = await fixture.cos.multipartInit({ Bucket, Region, Key })
    const a = await fixture.cos.multipartUpload({
      Bucket,
      Region,
      Key,
      UploadId,
      PartNumber: 1,
      Body: Buffer.from('small')
    })
    const b = await fixture.cos.multipartUpload({
      Bucket,
      Region,
      Key,
      UploadId,
      PartNumber: 2,
      Body: Buffer.from('small too')
    })
    const complete = (Parts: { PartNumber: number; ETag: string }[]) =>
      fixture.cos.multipartComplete({ Bucket, Region, Key, UploadId, Parts }).catch((e: unknown) => e)
    expect(codeOf(await complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]))).toBe('InvalidPart')
    expect(codeOf(await complete([{ PartNumber: 3, ETag: a.ETag }]))).toBe('InvalidPart')
    expect(
      codeOf(
        await complete([
          { PartNumber: 2, ETag: b.ETag },
          { PartNumber: 1, ETag: a.ETag }
        ])
      )
    ).toBe('InvalidPartOrder')
    expect(
      codeOf(
        await complete([
          { PartNumber: 1, ETag: a.ETag },
          { PartNumber: 2, ETag: b.ETag }
        ])
      )
    ).toBe('EntityTooSmall')
    // the upload survives failed completes, and a single small part is fine
    const ok = await fixture.cos.multipartComplete({
      Bucket,
      Region,
      Key,
      UploadId,
      Parts: [{ PartNumber: 2, ETag: b.ETag }]
    })
    expect(ok.ETag).toMatch(/-1"$/)
  })

  it('aborts: parts are gone, NoSuchUpload afterwards', async () => {
    const Key = 'parts/aborted'
    const { UploadId } = await fixture.cos.multipartInit({ Bucket, Region, Key })
    await fixture.cos.multipartUpload({ Bucket, Region, Key, UploadId, PartNumber: 1, Body: Buffer.from('x') })
    const aborted = await fixture.cos.multipartAbort({ Bucket, Region, Key, UploadId })
    expect(aborted.statusCode).toBe(204)
    const again = await fixture.cos.multipartAbort({ Bucket, Region, Key, UploadId }).catch((e: unknown) => e)
    expect(codeOf(again)).toBe('NoSuchUpload')
    const part = await fixture.cos
      .multipartUpload({ Bucket, Region, Key, UploadId, PartNumber: 2, Body: Buffer.from('x') })
      .catch((e: unknown) => e)
    expect(codeOf(part)).toBe('NoSuchUpload')
  })

  it('refuses to delete a bucket with an upload in progress', async () => {
    const b = 'mpbusy-1250000000'
    await fixture.cos.putBucket({ Bucket: b, Region })
    const { UploadId } = await fixture.cos.multipartInit({ Bucket: b, Region, Key: 'k' })
    expect(codeOf(await fixture.cos.deleteBucket({ Bucket: b, Region }).catch((e: unknown) => e))).toBe(
      'BucketNotEmpty'
    )
    await fixture.cos.multipartAbort({ Bucket: b, Region, Key: 'k', UploadId })
    expect((await fixture.cos.deleteBucket({ Bucket: b, Region })).statusCode).toBe(204)
  })

  it('lists uploads with delimiter and paging', async () => {
    const b = 'mplist-1250000000'
    await fixture.cos.putBucket({ Bucket: b, Region })
    const keys = ['a/1', 'a/2', 'b', 'c']
    for (const Key of keys) await fixture.cos.multipartInit({ Bucket: b, Region, Key })
    const rolled = await fixture.cos.multipartList({ Bucket: b, Region, Prefix: '', Delimiter: '/' })
    expect(rolled.Upload.map((u) => u.Key)).toEqual(['b', 'c'])
    // the SDK leaves a single CommonPrefixes element as an object
    expect(
      ([] as { Prefix: string }[])
        .concat((rolled as unknown as { CommonPrefixes: { Prefix: string }[] }).CommonPrefixes)
        .map((p) => p.Prefix)
    ).toEqual(['a/'])
    const first = await fixture.cos.multipartList({ Bucket: b, Region, Prefix: '', Delimiter: '', MaxUploads: 2 })
    expect(first.Upload.map((u) => u.Key)).toEqual(['a/1', 'a/2'])
    expect(first.IsTruncated).toBe('true')
    const second = await fixture.cos.multipartList({
      Bucket: b,
      Region,
      Prefix: '',
      Delimiter: '',
      KeyMarker: first.NextKeyMarker,
      UploadIdMarker: first.NextUploadIdMarker
    })
    expect(second.Upload.map((u) => u.Key)).toEqual(['b', 'c'])
  })
})

describe('AWS SDK multipart and Upload Part - Copy', () => {
  it('builds an object from copied ranges of another object', async () => {
    const source = randomBytes(3 * MiB)
    await fixture.cos.putObject({ Bucket, Region, Key: 'copy-src.bin', Body: source })
    const Key = 'copy-parts.bin'
    const { UploadId } = await fixture.s3.send(new CreateMultipartUploadCommand({ Bucket, Key }))
    const c1 = await fixture.s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}/copy-src.bin`,
        CopySourceRange: `bytes=0-${2 * MiB - 1}`
      })
    )
    const p2 = await fixture.s3.send(
      new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: Buffer.from('end') })
    )
    await fixture.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: c1.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: p2.ETag }
          ]
        }
      })
    )
    const got = await fixture.s3.send(new GetObjectCommand({ Bucket, Key }))
    const bytes = Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()
    )
    expect(md5(bytes)).toBe(md5(Buffer.concat([source.subarray(0, 2 * MiB), Buffer.from('end')])))
  })

  it('uses x-cos-copy-source-range through the COS SDK', async () => {
    const Key = 'cos-copy-parts.bin'
    const { UploadId } = await fixture.cos.multipartInit({ Bucket, Region, Key })
    const part = await fixture.cos.uploadPartCopy({
      Bucket,
      Region,
      Key,
      UploadId,
      PartNumber: 1,
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/copy-src.bin`,
      CopySourceRange: 'bytes=0-9'
    })
    expect(part.ETag).toMatch(/^"[0-9a-f]{32}"$/)
    const bad = await fixture.cos
      .uploadPartCopy({
        Bucket,
        Region,
        Key,
        UploadId,
        PartNumber: 2,
        CopySource: `${Bucket}.cos.${Region}.myqcloud.com/copy-src.bin`,
        CopySourceRange: 'bytes=0-999999999'
      })
      .catch((e: unknown) => e)
    expect(codeOf(bad)).toBe('InvalidRange')
  })

  it('answers NoSuchUpload for an unknown upload id', async () => {
    const error = await fixture.s3
      .send(new UploadPartCommand({ Bucket, Key: 'nope', UploadId: 'nope', PartNumber: 1, Body: 'x' }))
      .catch((e: unknown) => e)
    expect(codeOf(error)).toBe('NoSuchUpload')
  })
})
