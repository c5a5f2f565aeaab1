/** PUT Object - Copy and Delete Multiple Objects, through both SDKs. */
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command
} from '@aws-sdk/client-s3'
import { REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'copysrc-1250000000'
const Other = 'copydst-1250000000'
const Region = REGION

const fixture = useCosServer({ buckets: [Bucket, { Bucket: Other, Region: 'ap-beijing' }] })
beforeAll(async () => {
  await fixture.cos.putObject({
    Bucket,
    Region,
    Key: 'src dir/原 文件+1.txt',
    Body: 'copy me',
    ContentType: 'text/plain',
    Headers: { 'x-cos-meta-origin': 'source' }
  })
})

function codeOf(error: unknown): string {
  const e = error as { code?: string; error?: { Code?: string }; Code?: string; name?: string }
  return e.error?.Code ?? e.Code ?? e.code ?? e.name ?? String(error)
}

describe('PUT Object - Copy', () => {
  it('copies to another bucket in another region, keeping metadata (Copy)', async () => {
    const data = await fixture.cos.putObjectCopy({
      Bucket: Other,
      Region: 'ap-beijing',
      Key: 'copied.txt',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/${encodeURIComponent('src dir/原 文件+1.txt').replace(/%2F/g, '/')}`
    })
    expect(data.ETag).toBe(`"${createHash('md5').update('copy me').digest('hex')}"`)
    const got = await fixture.cos.getObject({ Bucket: Other, Region: 'ap-beijing', Key: 'copied.txt' })
    expect(got.Body.toString()).toBe('copy me')
    expect(got.headers?.['x-cos-meta-origin']).toBe('source')
    expect(got.headers?.['content-type']).toBe('text/plain')
  })

  it('replaces metadata with metadata-directive Replaced', async () => {
    await fixture.cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'replaced.txt',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/${encodeURIComponent('src dir/原 文件+1.txt')}`,
      MetadataDirective: 'Replaced',
      ContentType: 'application/x-new',
      Headers: { 'x-cos-meta-fresh': 'yes' }
    })
    const head = await fixture.cos.headObject({ Bucket, Region, Key: 'replaced.txt' })
    expect(head.headers?.['content-type']).toBe('application/x-new')
    expect(head.headers?.['x-cos-meta-fresh']).toBe('yes')
    expect(head.headers?.['x-cos-meta-origin']).toBeUndefined()
  })

  it('copies with the AWS SDK (x-amz-copy-source) and returns CopyObjectResult', async () => {
    const data = await fixture.s3.send(
      new CopyObjectCommand({
        Bucket: Other,
        Key: 'aws-copy',
        CopySource: `${Bucket}/${encodeURIComponent('src dir/原 文件+1.txt')}`
      })
    )
    expect(data.CopyObjectResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/)
    expect(data.CopyObjectResult?.LastModified).toBeInstanceOf(Date)
    const head = await fixture.s3.send(new HeadObjectCommand({ Bucket: Other, Key: 'aws-copy' }))
    expect(head.Metadata).toEqual({ origin: 'source' })
  })

  it('answers NoSuchKey for a missing source and 412 for a failed copy-source condition', async () => {
    const missing = await fixture.cos
      .putObjectCopy({ Bucket, Region, Key: 'x', CopySource: `${Bucket}.cos.${Region}.myqcloud.com/absent` })
      .catch((e: unknown) => e)
    expect(codeOf(missing)).toBe('NoSuchKey')
    const failed = await fixture.s3
      .send(
        new CopyObjectCommand({
          Bucket,
          Key: 'y',
          CopySource: `${Bucket}/${encodeURIComponent('src dir/原 文件+1.txt')}`,
          CopySourceIfMatch: '"nope"'
        })
      )
      .catch((e: unknown) => e)
    expect(codeOf(failed)).toBe('PreconditionFailed')
  })
})

describe('Delete Multiple Objects', () => {
  it('deletes many keys with the COS SDK (Verbose) and reports each', async () => {
    for (const Key of ['m/1', 'm/2', 'm/3']) await fixture.cos.putObject({ Bucket, Region, Key, Body: Key })
    const data = await fixture.cos.deleteMultipleObject({
      Bucket,
      Region,
      Objects: [{ Key: 'm/1' }, { Key: 'm/2' }, { Key: 'm/never' }]
    })
    expect(data.Deleted.map((d) => d.Key).sort()).toEqual(['m/1', 'm/2', 'm/never'])
    expect(data.Error).toEqual([])
    const left = await fixture.cos.getBucket({ Bucket, Region, Prefix: 'm/' })
    expect(left.Contents.map((c) => c.Key)).toEqual(['m/3'])
  })

  it('deletes with the AWS SDK (no Content-MD5, CRC32 checksum) in Quiet mode', async () => {
    for (const Key of ['q/1', 'q/2']) await fixture.cos.putObject({ Bucket, Region, Key, Body: Key })
    const data = await fixture.s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Quiet: true, Objects: [{ Key: 'q/1' }, { Key: 'q/2' }] } })
    )
    expect(data.Deleted ?? []).toEqual([])
    expect(data.Errors ?? []).toEqual([])
    const left = await fixture.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'q/' }))
    expect(left.KeyCount).toBe(0)
  })

  it('reports per-key errors for invalid keys', async () => {
    const body = '<Delete><Object><Key></Key></Object><Object><Key>ok-missing</Key></Object></Delete>'
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}?delete`, { method: 'POST', body })
    const xml = await res.text()
    expect(res.status).toBe(200)
    expect(xml).toContain('<Error><Key></Key><Code>InvalidObjectName</Code>')
    expect(xml).toContain('<Deleted><Key>ok-missing</Key></Deleted>')
  })

  it('rejects more than 1000 keys and bad XML with MalformedXML', async () => {
    const keys = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }))
    const tooMany = await fixture.s3
      .send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys } }))
      .catch((e: unknown) => e)
    expect(codeOf(tooMany)).toBe('MalformedXML')
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}?delete`, { method: 'POST', body: '<Delete><Object>' })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>MalformedXML</Code>')
  })

  it('rejects a wrong Content-MD5 with BadDigest', async () => {
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}?delete`, {
      method: 'POST',
      body: '<Delete><Object><Key>a</Key></Object></Delete>',
      headers: { 'Content-MD5': 'AAAAAAAAAAAAAAAAAAAAAA==' }
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>BadDigest</Code>')
  })

  it('keeps the copied object readable after its source is deleted', async () => {
    await fixture.cos.deleteObject({ Bucket, Region, Key: 'src dir/原 文件+1.txt' })
    const got = await fixture.s3.send(new GetObjectCommand({ Bucket: Other, Key: 'aws-copy' }))
    expect(await got.Body?.transformToString()).toBe('copy me')
  })
})
