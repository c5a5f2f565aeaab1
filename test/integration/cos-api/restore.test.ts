/** Storage classes and archive restore through cos-nodejs-sdk-v5, on a hand-driven clock. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type COS from 'cos-nodejs-sdk-v5'
import { createSystemClock, ManualClock } from '../../../main/core/clock.ts'
import { cosClient, REGION, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'cold-1250000000'
const Region = REGION
const MIN = 60_000
const HOUR = 60 * MIN

function errorOf(error: unknown): { code: string; status: number } {
  const e = error as { statusCode?: number; code?: string; error?: { Code?: string } }
  return { code: e.error?.Code ?? e.code ?? '', status: e.statusCode ?? 0 }
}

function eventsOf(server: TestCosServer, key: string): string[] {
  return server.queue
    .pending(0, 10_000)
    .map((q) => q.event)
    .filter((e) => e.key === key)
    .map((e) => e.name)
}

describe('storage classes and restore', () => {
  let server: TestCosServer
  let cos: COS
  let clock: ManualClock
  beforeAll(async () => {
    clock = new ManualClock(Date.now())
    server = await startTestCosServer({ clock })
    cos = cosClient(server.port)
    await cos.putBucket({ Bucket, Region })
  })
  afterAll(() => server.close())

  it('stores the class given on PUT, multipart and Copy; rejects unknown classes', async () => {
    await cos.putObject({ Bucket, Region, Key: 'ia.txt', Body: 'ia', StorageClass: 'STANDARD_IA' })
    expect((await cos.headObject({ Bucket, Region, Key: 'ia.txt' })).headers?.['x-cos-storage-class']).toBe(
      'STANDARD_IA'
    )
    const init = await cos.multipartInit({ Bucket, Region, Key: 'mp.bin', StorageClass: 'DEEP_ARCHIVE' })
    const part = await cos.multipartUpload({
      Bucket,
      Region,
      Key: 'mp.bin',
      UploadId: init.UploadId,
      PartNumber: 1,
      Body: 'part'
    })
    await cos.multipartComplete({
      Bucket,
      Region,
      Key: 'mp.bin',
      UploadId: init.UploadId,
      Parts: [{ PartNumber: 1, ETag: part.ETag }]
    })
    expect((await cos.headObject({ Bucket, Region, Key: 'mp.bin' })).headers?.['x-cos-storage-class']).toBe(
      'DEEP_ARCHIVE'
    )
    await cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'it.txt',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/ia.txt`,
      StorageClass: 'INTELLIGENT_TIERING'
    })
    expect((await cos.headObject({ Bucket, Region, Key: 'it.txt' })).headers?.['x-cos-storage-class']).toBe(
      'INTELLIGENT_TIERING'
    )
    const bad = await cos
      .putObject({ Bucket, Region, Key: 'x', Body: 'x', StorageClass: 'COLD' as never })
      .catch((e: unknown) => e)
    expect(errorOf(bad)).toEqual({ code: 'InvalidArgument', status: 400 })
  })

  it('an unrestored archive cannot be read or copied: 403 InvalidObjectState', async () => {
    await cos.putObject({ Bucket, Region, Key: 'frozen.txt', Body: 'frozen', StorageClass: 'ARCHIVE' })
    const get = await cos.getObject({ Bucket, Region, Key: 'frozen.txt' }).catch((e: unknown) => e)
    expect(errorOf(get)).toEqual({ code: 'InvalidObjectState', status: 403 })
    const copy = await cos
      .putObjectCopy({
        Bucket,
        Region,
        Key: 'thawed.txt',
        CopySource: `${Bucket}.cos.${Region}.myqcloud.com/frozen.txt`
      })
      .catch((e: unknown) => e)
    expect(errorOf(copy)).toEqual({ code: 'InvalidObjectState', status: 403 })
    const init = await cos.multipartInit({ Bucket, Region, Key: 'parts.bin' })
    const partCopy = await cos
      .uploadPartCopy({
        Bucket,
        Region,
        Key: 'parts.bin',
        UploadId: init.UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}.cos.${Region}.myqcloud.com/frozen.txt`
      })
      .catch((e: unknown) => e)
    expect(errorOf(partCopy)).toEqual({ code: 'InvalidObjectState', status: 403 })
    const head = await cos.headObject({ Bucket, Region, Key: 'frozen.txt' })
    expect(head.headers?.['x-cos-storage-class']).toBe('ARCHIVE')
    expect(head.headers?.['x-cos-restore']).toBeUndefined()
  })

  it('restore: 202, ongoing headers, 409 while running, completes on the clock, readable, expires after Days', async () => {
    const started = await cos.restoreObject({
      Bucket,
      Region,
      Key: 'frozen.txt',
      RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' } }
    })
    expect(started.statusCode).toBe(202)
    expect(eventsOf(server, 'frozen.txt')).toContain('cos:ObjectRestore:Post')
    expect(eventsOf(server, 'frozen.txt')).not.toContain('cos:ObjectRestore:Completed')

    const ongoing = await cos.headObject({ Bucket, Region, Key: 'frozen.txt' })
    expect(ongoing.headers?.['x-cos-restore']).toBe('ongoing-request="true"')
    expect(ongoing.headers?.['x-cos-restore-status']).toMatch(/^tier="expedited"; request-date=".+ GMT"$/)

    const again = await cos
      .restoreObject({
        Bucket,
        Region,
        Key: 'frozen.txt',
        RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Standard' } }
      })
      .catch((e: unknown) => e)
    expect(errorOf(again)).toEqual({ code: 'RestoreAlreadyInProgress', status: 409 })
    const stillFrozen = await cos.getObject({ Bucket, Region, Key: 'frozen.txt' }).catch((e: unknown) => e)
    expect(errorOf(stillFrozen).code).toBe('InvalidObjectState')

    clock.advance(1 * MIN) // Expedited: 1 minute
    expect(eventsOf(server, 'frozen.txt')).toContain('cos:ObjectRestore:Completed')
    const done = await cos.headObject({ Bucket, Region, Key: 'frozen.txt' })
    expect(done.headers?.['x-cos-restore']).toMatch(/^ongoing-request="false", expiry-date=".+ 16:00:00 GMT"$/)
    expect((await cos.getObject({ Bucket, Region, Key: 'frozen.txt' })).Body.toString()).toBe('frozen')
    await cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'thawed.txt',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/frozen.txt`
    })
    expect((await cos.headObject({ Bucket, Region, Key: 'thawed.txt' })).headers?.['x-cos-storage-class']).toBe(
      'STANDARD'
    )

    clock.advance(3 * 24 * HOUR) // past the 1-day copy
    const expired = await cos.getObject({ Bucket, Region, Key: 'frozen.txt' }).catch((e: unknown) => e)
    expect(errorOf(expired)).toEqual({ code: 'InvalidObjectState', status: 403 })
    expect((await cos.headObject({ Bucket, Region, Key: 'frozen.txt' })).headers?.['x-cos-restore']).toBeUndefined()
  })

  it('errors: non-archive 405, Expedited on DEEP_ARCHIVE 400, missing key 404', async () => {
    const standard = await cos
      .restoreObject({
        Bucket,
        Region,
        Key: 'ia.txt',
        RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Standard' } }
      })
      .catch((e: unknown) => e)
    expect(errorOf(standard)).toEqual({ code: 'RestoreNonArchiveObject', status: 405 })
    const deep = await cos
      .restoreObject({
        Bucket,
        Region,
        Key: 'mp.bin',
        RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' } }
      })
      .catch((e: unknown) => e)
    expect(errorOf(deep)).toEqual({ code: 'InvalidArgument', status: 400 })
    const missing = await cos
      .restoreObject({
        Bucket,
        Region,
        Key: 'nope',
        RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Standard' } }
      })
      .catch((e: unknown) => e)
    expect(errorOf(missing).status).toBe(404)
  })
})

describe('a running restore survives a restart', () => {
  it('re-arms the job from the database and completes it on the new clock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-restore-'))
    try {
      const start = Date.now()
      const first = await startTestCosServer({ dataDir, clock: new ManualClock(start) })
      const cos1 = cosClient(first.port)
      await cos1.putBucket({ Bucket, Region })
      await cos1.putObject({ Bucket, Region, Key: 'deep.txt', Body: 'deep', StorageClass: 'DEEP_ARCHIVE' })
      await cos1.restoreObject({
        Bucket,
        Region,
        Key: 'deep.txt',
        RestoreRequest: { Days: 2, CASJobParameters: { Tier: 'Bulk' } }
      })
      await first.close()

      const clock = new ManualClock(start + HOUR)
      const second = await startTestCosServer({ dataDir, clock })
      try {
        const cos2 = cosClient(second.port)
        const head = await cos2.headObject({ Bucket, Region, Key: 'deep.txt' })
        expect(head.headers?.['x-cos-restore']).toBe('ongoing-request="true"')
        clock.advance(23 * HOUR) // DEEP_ARCHIVE Bulk: 24 hours from the request
        expect(eventsOf(second, 'deep.txt')).toEqual([
          'cos:ObjectCreated:Put',
          'cos:ObjectRestore:Post',
          'cos:ObjectRestore:Completed'
        ])
        expect((await cos2.getObject({ Bucket, Region, Key: 'deep.txt' })).Body.toString()).toBe('deep')
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('with a sped-up system clock', () => {
  it('an Expedited restore completes in real milliseconds', async () => {
    const server = await startTestCosServer({ clock: createSystemClock(6000) }) // 1 min → 10 ms
    try {
      const cos = cosClient(server.port)
      await cos.putBucket({ Bucket, Region })
      await cos.putObject({ Bucket, Region, Key: 'fast.txt', Body: 'fast', StorageClass: 'ARCHIVE' })
      await cos.restoreObject({
        Bucket,
        Region,
        Key: 'fast.txt',
        RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' } }
      })
      await expect
        .poll(() => eventsOf(server, 'fast.txt'), { timeout: 10_000 })
        .toContain('cos:ObjectRestore:Completed')
      expect((await cos.getObject({ Bucket, Region, Key: 'fast.txt' })).Body.toString()).toBe('fast')
    } finally {
      await server.close()
    }
  })
})
