/**
 * A listing page large enough that its entries are encoded in several pieces
 * (xml-bytes.ts): every key arrives once, in order, non-ASCII ones intact, through both
 * SDKs; pages sent at the same time, and pages whose buffer held a longer page before
 * (the buffers are reused once sent), arrive whole and only with their own keys.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { ListObjectVersionsCommand, ListObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'big-page-1250000000'
const Region = REGION
// ≈ 300 keys × ≈ 450 bytes of XML each: several 16 Ki-character pieces
const KEYS = Array.from(
  { length: 300 },
  (_, i) => `folder-${String(i).padStart(3, '0')}/${'长'.repeat(i % 7)}${'x'.repeat(120)}<&>'"${i}.bin`
).sort()

const fixture = useCosServer({ buckets: [Bucket] })
beforeAll(async () => {
  for (let i = 0; i < KEYS.length; i += 30)
    await Promise.all(KEYS.slice(i, i + 30).map((Key) => fixture.cos.putObject({ Bucket, Region, Key, Body: Key })))
})

describe('a listing page of many long keys', () => {
  it('lists every key in order through the COS SDK (v1)', async () => {
    const data = await fixture.cos.getBucket({ Bucket, Region, MaxKeys: 1000 })
    expect(data.Contents.map((c) => c.Key)).toEqual(KEYS)
    expect(data.Contents.at(-1)?.Size).toBe(String(Buffer.byteLength(KEYS.at(-1)!)))
  })

  it('lists every key in order through the AWS SDK (v2)', async () => {
    const page = await fixture.s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1000 }))
    expect(page.Contents?.map((c) => c.Key)).toEqual(KEYS)
    expect(page.KeyCount).toBe(KEYS.length)
  })

  it('lists every version in order (List Object Versions)', async () => {
    const page = await fixture.s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 1000 }))
    expect(page.Versions?.map((v) => v.Key)).toEqual(KEYS)
    expect(page.Versions?.every((v) => v.VersionId === 'null' && v.IsLatest === true)).toBe(true)
  })

  it('sends pages asked for at once, and pages in buffers that held longer ones, each whole', async () => {
    // each page is over 64 KiB (a reused buffer); shorter and longer ones alternate
    const after = [0, 150, 10, 120, 40, 100, 5, 90, 60, 30, 70, 1]
    const list = async (i: number): Promise<string[]> => {
      const page = await fixture.s3.send(new ListObjectsCommand({ Bucket, Marker: KEYS[i], MaxKeys: 1000 }))
      return page.Contents?.map((c) => c.Key ?? '') ?? []
    }
    for (let round = 0; round < 2; round++) {
      const together = await Promise.all(after.map(list))
      together.forEach((keys, n) => expect(keys).toEqual(KEYS.slice(after[n]! + 1)))
      for (const i of after) expect(await list(i)).toEqual(KEYS.slice(i + 1))
    }
  })
})
