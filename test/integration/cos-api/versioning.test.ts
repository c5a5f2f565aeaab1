/** Versioning: ?versioning, version ids, delete markers, the null version, ?versions, events. */
import { describe, expect, it } from 'vitest'
import type COS from 'cos-nodejs-sdk-v5'
import {
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand
} from '@aws-sdk/client-s3'
import { eventReader, REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'versioned-1250000000'
const Region = REGION

const fixture = useCosServer({ buckets: [Bucket] })

/** Events appended since the last call. */
const newEvents = eventReader(() => fixture.server.queue)

/** deleteObject with VersionId (the SDK sends it; its typings omit it). */
function deleteVersion(Key: string, VersionId: string) {
  return fixture.cos.deleteObject({ Bucket, Region, Key, VersionId } as Parameters<COS['deleteObject']>[0])
}

function codeOf(error: unknown): string {
  const e = error as { code?: string; error?: { Code?: string }; Code?: string; name?: string }
  return e.error?.Code ?? e.Code ?? e.code ?? e.name ?? String(error)
}

describe('versioning configuration', () => {
  it('starts unversioned, enables, and rejects a bad status', async () => {
    const before = await fixture.cos.getBucketVersioning({ Bucket, Region })
    expect(before.VersioningConfiguration.Status).toBeUndefined()
    await fixture.cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } })
    const after = await fixture.s3.send(new GetBucketVersioningCommand({ Bucket }))
    expect(after.Status).toBe('Enabled')
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}?versioning`, {
      method: 'PUT',
      body: '<VersioningConfiguration><Status>Off</Status></VersioningConfiguration>'
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>MalformedXML</Code>')
  })
})

describe('versions and delete markers', () => {
  let v1 = ''
  let v2 = ''

  it('gives each PUT a new version id; old versions stay readable', async () => {
    newEvents()
    const p1 = await fixture.cos.putObject({ Bucket, Region, Key: 'doc.txt', Body: 'one' })
    const p2 = await fixture.cos.putObject({ Bucket, Region, Key: 'doc.txt', Body: 'two' })
    v1 = p1.headers?.['x-cos-version-id'] as string
    v2 = p2.headers?.['x-cos-version-id'] as string
    expect(v1).toMatch(/^[A-Za-z0-9+/]+$/)
    expect(v2).not.toBe(v1)
    expect((await fixture.cos.getObject({ Bucket, Region, Key: 'doc.txt' })).Body.toString()).toBe('two')
    const old = await fixture.cos.getObject({ Bucket, Region, Key: 'doc.txt', VersionId: v1 })
    expect(old.Body.toString()).toBe('one')
    expect(old.headers?.['x-cos-version-id']).toBe(v1)
    const events = newEvents()
    expect(events.map((e) => [e.name, e.versionId])).toEqual([
      ['cos:ObjectCreated:Put', v1],
      ['cos:ObjectCreated:Put', v2]
    ])
  })

  it('DELETE without versionId creates a delete marker: GET → 404 with x-cos-delete-marker', async () => {
    const del = await fixture.cos.deleteObject({ Bucket, Region, Key: 'doc.txt' })
    expect(del.headers?.['x-cos-delete-marker']).toBe('true')
    const marker = del.headers?.['x-cos-version-id'] as string
    expect(marker).toBeTruthy()
    const res = await fetch(`${fixture.server.endpoint}/${Bucket}/doc.txt`)
    expect(res.status).toBe(404)
    expect(res.headers.get('x-cos-delete-marker')).toBe('true')
    expect(await res.text()).toContain('<Code>NoSuchKey</Code>')
    const listed = await fixture.cos.getBucket({ Bucket, Region })
    expect(listed.Contents.map((c) => c.Key)).not.toContain('doc.txt')
    const [event] = newEvents()
    expect(event).toMatchObject({ name: 'cos:ObjectRemove:DeleteMarkerCreated', key: 'doc.txt', versionId: marker })
    // a versioned GET of the marker itself is not allowed
    const direct = await fetch(`${fixture.server.endpoint}/${Bucket}/doc.txt?versionId=${encodeURIComponent(marker)}`)
    expect(direct.status).toBe(405)
  })

  it('lists versions and markers newest first (COS SDK)', async () => {
    const data = await fixture.cos.listObjectVersions({ Bucket, Region, Prefix: 'doc' })
    expect(data.Versions.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2, 'false'],
      [v1, 'false']
    ])
    expect(data.DeleteMarkers.map((m) => m.IsLatest)).toEqual(['true'])
  })

  it('deleting the marker by versionId brings the object back; deleting a version is permanent', async () => {
    const list = await fixture.s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'doc' }))
    const marker = list.DeleteMarkers?.[0]?.VersionId as string
    const undelete = await deleteVersion('doc.txt', marker)
    expect(undelete.headers?.['x-cos-delete-marker']).toBe('true')
    expect((await fixture.cos.getObject({ Bucket, Region, Key: 'doc.txt' })).Body.toString()).toBe('two')
    await deleteVersion('doc.txt', v2)
    expect((await fixture.cos.getObject({ Bucket, Region, Key: 'doc.txt' })).Body.toString()).toBe('one')
    const gone = await fixture.cos.getObject({ Bucket, Region, Key: 'doc.txt', VersionId: v2 }).catch((e: unknown) => e)
    expect(codeOf(gone)).toBe('NoSuchVersion')
    const events = newEvents()
    expect(events.map((e) => [e.name, e.versionId])).toEqual([
      ['cos:ObjectRemove:Delete', marker],
      ['cos:ObjectRemove:Delete', v2]
    ])
  })

  it('copies a specific source version', async () => {
    await fixture.cos.putObject({ Bucket, Region, Key: 'doc.txt', Body: 'three' })
    const copy = await fixture.cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'copy-of-v1.txt',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/doc.txt?versionId=${encodeURIComponent(v1)}`
    })
    expect(copy.statusCode).toBe(200)
    expect((await fixture.cos.getObject({ Bucket, Region, Key: 'copy-of-v1.txt' })).Body.toString()).toBe('one')
  })

  it('pages ?versions with key and version-id markers (AWS SDK)', async () => {
    for (let i = 0; i < 3; i++) await fixture.s3.send(new PutObjectCommand({ Bucket, Key: 'paged', Body: String(i) }))
    const seen: string[] = []
    let KeyMarker: string | undefined
    let VersionIdMarker: string | undefined
    for (let guard = 0; guard < 20; guard++) {
      const page = await fixture.s3.send(
        new ListObjectVersionsCommand({ Bucket, Prefix: 'paged', MaxKeys: 2, KeyMarker, VersionIdMarker })
      )
      seen.push(...(page.Versions ?? []).map((v) => v.VersionId as string))
      if (!page.IsTruncated) break
      KeyMarker = page.NextKeyMarker
      VersionIdMarker = page.NextVersionIdMarker
    }
    expect(seen.length).toBe(3)
    expect(new Set(seen).size).toBe(3)
    const latest = await fixture.s3.send(new GetObjectCommand({ Bucket, Key: 'paged' }))
    expect(latest.VersionId).toBe(seen[0])
    expect(await latest.Body?.transformToString()).toBe('2')
  })

  it('Delete Multiple reports markers and version deletes', async () => {
    const list = await fixture.s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'paged' }))
    const oldest = list.Versions?.[2]?.VersionId as string
    const result = await fixture.s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'paged' }, { Key: 'paged', VersionId: oldest }] } })
    )
    const marker = result.Deleted?.find((d) => d.DeleteMarker)
    expect(marker?.DeleteMarkerVersionId).toBeTruthy()
    expect(result.Deleted?.find((d) => d.VersionId === oldest)).toBeDefined()
    const events = newEvents().filter((e) => e.key === 'paged' && e.name.startsWith('cos:ObjectRemove'))
    expect(events.map((e) => e.name)).toEqual(['cos:ObjectRemove:DeleteMarkerCreated', 'cos:ObjectRemove:Delete'])
  })
})

describe('suspended versioning', () => {
  it('writes the null version, replacing it on each PUT and keeping older ids', async () => {
    const b = 'suspended-1250000000'
    await fixture.cos.putBucket({ Bucket: b, Region })
    await fixture.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }))
    const kept = await fixture.cos.putObject({ Bucket: b, Region, Key: 'k', Body: 'versioned' })
    await fixture.s3.send(
      new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } })
    )
    const n1 = await fixture.cos.putObject({ Bucket: b, Region, Key: 'k', Body: 'null one' })
    expect(n1.headers?.['x-cos-version-id']).toBeUndefined()
    await fixture.cos.putObject({ Bucket: b, Region, Key: 'k', Body: 'null two' })
    const versions = await fixture.s3.send(new ListObjectVersionsCommand({ Bucket: b }))
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(['null', kept.headers?.['x-cos-version-id']])
    expect((await fixture.cos.getObject({ Bucket: b, Region, Key: 'k' })).Body.toString()).toBe('null two')
    newEvents()
    const del = await fixture.cos.deleteObject({ Bucket: b, Region, Key: 'k' })
    expect(del.headers?.['x-cos-delete-marker']).toBe('true')
    const [event] = newEvents()
    expect(event).toMatchObject({ name: 'cos:ObjectRemove:DeleteMarkerCreated', versionId: '' })
    const after = await fixture.s3.send(new ListObjectVersionsCommand({ Bucket: b }))
    expect(after.DeleteMarkers?.map((m) => m.VersionId)).toEqual(['null'])
    expect(after.Versions?.map((v) => v.VersionId)).toEqual([kept.headers?.['x-cos-version-id']])
    // delete markers and old versions keep the bucket from being deleted
    expect(codeOf(await fixture.cos.deleteBucket({ Bucket: b, Region }).catch((e: unknown) => e))).toBe(
      'BucketNotEmpty'
    )
  })
})
