/** Cross-bucket replication through cos-nodejs-sdk-v5, on a hand-driven clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type COS from 'cos-nodejs-sdk-v5'
import { ManualClock } from '../../../main/core/clock.ts'
import { REPLICATION_DELAY_MS } from '../../../main/storage/replication-service.ts'
import { cosClient, REGION, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Source = 'src-1250000000'
const Destination = 'far-1250000000'
const Third = 'third-1250000000'
const FAR = 'ap-chengdu'

let server: TestCosServer
let cos: COS
let clock: ManualClock

function errorOf(error: unknown): { code: string; status: number } {
  const e = error as { statusCode?: number; code?: string; error?: { Code?: string } }
  return { code: e.error?.Code ?? e.code ?? '', status: e.statusCode ?? 0 }
}

/** Versioning through the API when it exists, else through the store (same effect). */
async function enableVersioning(Bucket: string, Region: string): Promise<void> {
  try {
    await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } })
  } catch {
    server.store.setVersioning(Bucket, 'Enabled')
  }
}

function eventNames(bucket: string, key: string): string[] {
  return server.queue
    .pending(0, 10_000)
    .map((q) => q.event)
    .filter((e) => e.bucket === bucket && e.key === key)
    .map((e) => e.name)
}

async function replicationStatus(Key: string, Bucket = Source, Region = REGION) {
  const head = await cos.headObject({ Bucket, Region, Key })
  return head.headers?.['x-cos-replication-status']
}

/** Let the replication timers fire and wait for the copies they start. */
async function replicate(key: string): Promise<void> {
  clock.advance(REPLICATION_DELAY_MS)
  await expect.poll(() => replicationStatus(key), { timeout: 10_000 }).toBe('COMPLETED')
}

beforeAll(async () => {
  clock = new ManualClock(Date.now())
  server = await startTestCosServer({ clock })
  cos = cosClient(server.port)
  await cos.putBucket({ Bucket: Source, Region: REGION })
  await cos.putBucket({ Bucket: Destination, Region: FAR })
  await cos.putBucket({ Bucket: Third, Region: REGION })
})
afterAll(() => server.close())

const config = {
  Role: 'qcs::cam::uin/100000000001:uin/100000000001',
  Rules: [
    {
      ID: 'logs',
      Status: 'Enabled',
      Prefix: 'logs/',
      Destination: { Bucket: `qcs::cos:${FAR}::${Destination}`, StorageClass: 'STANDARD_IA' },
      DeleteMarkerReplication: { Status: 'Enabled' }
    },
    { ID: 'rest', Status: 'Enabled', Prefix: '', Destination: { Bucket: `qcs::cos:${FAR}::${Destination}` } }
  ]
}

describe('?replication configuration', () => {
  it('no configuration: the SDK sees an empty rule list', async () => {
    const data = await cos.getBucketReplication({ Bucket: Source, Region: REGION })
    expect(data.ReplicationConfiguration.Rules).toEqual([])
  })

  it('both buckets must have versioning enabled', async () => {
    const unversioned = await cos
      .putBucketReplication({ Bucket: Source, Region: REGION, ReplicationConfiguration: config as never })
      .catch((e: unknown) => e)
    expect(errorOf(unversioned)).toEqual({ code: 'InvalidRequest', status: 400 })
    await enableVersioning(Source, REGION)
    const destinationUnversioned = await cos
      .putBucketReplication({ Bucket: Source, Region: REGION, ReplicationConfiguration: config as never })
      .catch((e: unknown) => e)
    expect(errorOf(destinationUnversioned)).toEqual({ code: 'InvalidRequest', status: 400 })
    await enableVersioning(Destination, FAR)
  })

  it('PUT stores the rules; objects from before the rule are not replicated', async () => {
    await cos.putObject({ Bucket: Source, Region: REGION, Key: 'before.txt', Body: 'old' })
    clock.advance(1)
    await cos.putBucketReplication({ Bucket: Source, Region: REGION, ReplicationConfiguration: config as never })
    const data = await cos.getBucketReplication({ Bucket: Source, Region: REGION })
    expect(data.ReplicationConfiguration.Role).toBe(config.Role)
    expect(data.ReplicationConfiguration.Rules.map((r) => r.ID)).toEqual(['logs', 'rest'])
    expect(await replicationStatus('before.txt')).toBeUndefined()
  })
})

describe('replicating changes', () => {
  it('copies a new object with its metadata and version id: PENDING → COMPLETED, REPLICA, ObjectCreated:Replication', async () => {
    const put = await cos.putObject({
      Bucket: Source,
      Region: REGION,
      Key: 'logs/a.txt',
      Body: 'replicate me',
      ContentType: 'text/plain',
      Headers: { 'x-cos-meta-team': 'blue' }
    })
    const versionId = put.headers?.['x-cos-version-id'] as string
    expect(versionId).toBeTruthy()
    expect(await replicationStatus('logs/a.txt')).toBe('PENDING')
    await replicate('logs/a.txt')

    const copy = await cos.getObject({ Bucket: Destination, Region: FAR, Key: 'logs/a.txt', VersionId: versionId })
    expect(copy.Body.toString()).toBe('replicate me')
    expect(copy.headers?.['content-type']).toBe('text/plain')
    expect(copy.headers?.['x-cos-meta-team']).toBe('blue')
    expect(copy.headers?.['x-cos-storage-class']).toBe('STANDARD_IA')
    expect(copy.headers?.['x-cos-replication-status']).toBe('REPLICA')
    expect(eventNames(Destination, 'logs/a.txt')).toEqual(['cos:ObjectCreated:Replication'])
  })

  it('an overwrite replicates too; ARCHIVE objects do not', async () => {
    await cos.putObject({ Bucket: Source, Region: REGION, Key: 'logs/a.txt', Body: 'second' })
    await replicate('logs/a.txt')
    expect((await cos.getObject({ Bucket: Destination, Region: FAR, Key: 'logs/a.txt' })).Body.toString()).toBe(
      'second'
    )

    await cos.putObject({ Bucket: Source, Region: REGION, Key: 'cold.txt', Body: 'c', StorageClass: 'ARCHIVE' })
    clock.advance(REPLICATION_DELAY_MS)
    expect(await replicationStatus('cold.txt')).toBeUndefined()
    const head = await cos.headObject({ Bucket: Destination, Region: FAR, Key: 'cold.txt' }).catch((e: unknown) => e)
    expect(errorOf(head).status).toBe(404)
  })

  it('delete markers replicate only under a rule that syncs them; versioned deletes never', async () => {
    await cos.putObject({ Bucket: Source, Region: REGION, Key: 'other.txt', Body: 'o' })
    await replicate('other.txt')

    await cos.deleteObject({ Bucket: Source, Region: REGION, Key: 'logs/a.txt' })
    clock.advance(REPLICATION_DELAY_MS)
    await expect
      .poll(
        async () =>
          errorOf(
            await cos.headObject({ Bucket: Destination, Region: FAR, Key: 'logs/a.txt' }).catch((e: unknown) => e)
          ).status,
        {
          timeout: 10_000
        }
      )
      .toBe(404)

    await cos.deleteObject({ Bucket: Source, Region: REGION, Key: 'other.txt' })
    clock.advance(REPLICATION_DELAY_MS)
    const kept = await cos.getObject({ Bucket: Destination, Region: FAR, Key: 'other.txt' })
    expect(kept.Body.toString()).toBe('o')

    const put = await cos.putObject({ Bucket: Source, Region: REGION, Key: 'logs/keep.txt', Body: 'k' })
    await replicate('logs/keep.txt')
    const versionId = put.headers?.['x-cos-version-id'] as string
    // VersionId is sent by the SDK though its typings omit it for deleteObject
    await cos.deleteObject({ Bucket: Source, Region: REGION, Key: 'logs/keep.txt', VersionId: versionId } as never)
    expect(eventNames(Source, 'logs/keep.txt').at(-1)).toBe('cos:ObjectRemove:Delete') // the version, not a marker
    clock.advance(REPLICATION_DELAY_MS)
    const still = await cos.getObject({ Bucket: Destination, Region: FAR, Key: 'logs/keep.txt' })
    expect(still.Body.toString()).toBe('k')
  })

  it('is not transitive: replicas are not replicated on from the destination', async () => {
    await enableVersioning(Third, REGION)
    await cos.putBucketReplication({
      Bucket: Destination,
      Region: FAR,
      ReplicationConfiguration: {
        Role: config.Role,
        Rules: [{ ID: 'on', Status: 'Enabled', Prefix: '', Destination: { Bucket: `qcs::cos:${REGION}::${Third}` } }]
      } as never
    })
    await cos.putObject({ Bucket: Source, Region: REGION, Key: 'chain.txt', Body: 'chain' })
    await replicate('chain.txt')
    clock.advance(REPLICATION_DELAY_MS)
    expect((await cos.getObject({ Bucket: Destination, Region: FAR, Key: 'chain.txt' })).Body.toString()).toBe('chain')
    expect(await replicationStatus('chain.txt', Destination, FAR)).toBe('REPLICA') // no task took it as a source
    const third = await cos.headObject({ Bucket: Third, Region: REGION, Key: 'chain.txt' }).catch((e: unknown) => e)
    expect(errorOf(third).status).toBe(404)
  })

  it('DELETE ?replication stops replication', async () => {
    await cos.deleteBucketReplication({ Bucket: Source, Region: REGION })
    expect((await cos.getBucketReplication({ Bucket: Source, Region: REGION })).ReplicationConfiguration.Rules).toEqual(
      []
    )
    await cos.putObject({ Bucket: Source, Region: REGION, Key: 'after.txt', Body: 'a' })
    clock.advance(REPLICATION_DELAY_MS)
    expect(await replicationStatus('after.txt')).toBeUndefined()
  })
})
