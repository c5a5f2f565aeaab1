/** Bucket and object sub-resources that are stored and returned, through both SDKs. */
import { GetBucketAclCommand, GetObjectAclCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, it } from 'vitest'
import { REGION, useCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'configs-1250000000'
const Region = REGION

function errorOf(error: unknown): { code: string; status: number } {
  const e = error as { statusCode?: number; code?: string; error?: { Code?: string } }
  return { code: e.error?.Code ?? e.code ?? '', status: e.statusCode ?? 0 }
}

const fixture = useCosServer({ buckets: [Bucket] })
beforeAll(async () => {
  await fixture.cos.putObject({ Bucket, Region, Key: 'obj.txt', Body: 'o' })
})

describe('stored bucket configurations', () => {
  it('CORS: the loopback default before, stored, returned, deleted', async () => {
    const defaults = (await fixture.cos.getBucketCors({ Bucket, Region })).CORSRules
    expect(defaults).toHaveLength(1)
    expect(defaults[0].AllowedOrigins ?? defaults[0].AllowedOrigin).toContain('http://localhost:*')
    await fixture.cos.putBucketCors({
      Bucket,
      Region,
      CORSRules: [
        {
          AllowedOrigin: ['https://app.example'],
          AllowedMethod: ['GET', 'PUT'],
          AllowedHeader: ['*'],
          MaxAgeSeconds: 600
        }
      ]
    })
    const rules = (await fixture.cos.getBucketCors({ Bucket, Region })).CORSRules
    expect(rules).toHaveLength(1)
    expect(rules[0].AllowedOrigins ?? rules[0].AllowedOrigin).toEqual(['https://app.example'])
    await fixture.cos.deleteBucketCors({ Bucket, Region })
    expect((await fixture.cos.getBucketCors({ Bucket, Region })).CORSRules).toEqual([])
  })

  it('tagging, lifecycle, website, policy round-trip', async () => {
    await fixture.cos.putBucketTagging({ Bucket, Region, Tags: [{ Key: 'team', Value: 'storage' }] })
    expect((await fixture.cos.getBucketTagging({ Bucket, Region })).Tags).toEqual([{ Key: 'team', Value: 'storage' }])
    await fixture.cos.deleteBucketTagging({ Bucket, Region })
    expect((await fixture.cos.getBucketTagging({ Bucket, Region })).Tags).toEqual([])

    await fixture.cos.putBucketLifecycle({
      Bucket,
      Region,
      Rules: [
        { ID: 'expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: '30' } }
      ] as never
    })
    const lifecycle = await fixture.cos.getBucketLifecycle({ Bucket, Region })
    expect(lifecycle.Rules.map((r) => r.ID)).toEqual(['expire-logs'])

    await fixture.cos.putBucketWebsite({
      Bucket,
      Region,
      WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } as never
    })
    const website = await fixture.cos.getBucketWebsite({ Bucket, Region })
    expect(website.WebsiteConfiguration.IndexDocument?.Suffix).toBe('index.html')

    const policy = {
      version: '2.0',
      Statement: [
        {
          Effect: 'allow',
          Principal: { qcs: ['qcs::cam::anyone:anyone'] },
          Action: ['name/cos:GetObject'],
          Resource: ['*']
        }
      ]
    }
    await fixture.cos.putBucketPolicy({ Bucket, Region, Policy: policy as never })
    expect((await fixture.cos.getBucketPolicy({ Bucket, Region })).Policy).toEqual(policy)
  })

  it('defaults and 404s before a PUT; malformed bodies are MalformedXML; POST is MethodNotAllowed', async () => {
    const logging = await fetch(`${fixture.server.endpoint}/${Bucket}?logging`)
    expect(logging.status).toBe(200)
    expect(await logging.text()).toContain('<BucketLoggingStatus/>')
    const encryption = await fetch(`${fixture.server.endpoint}/${Bucket}?encryption`)
    expect(encryption.status).toBe(404)
    const policy = await fixture.cos
      .deleteBucketPolicy({ Bucket, Region })
      .then(() => fixture.cos.getBucketPolicy({ Bucket, Region }))
      .catch((e: unknown) => e)
    expect(errorOf(policy).status).toBe(404)
    const bad = await fetch(`${fixture.server.endpoint}/${Bucket}?cors`, {
      method: 'PUT',
      body: '<CORSConfiguration><oops'
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('<Code>MalformedXML</Code>')
    const post = await fetch(`${fixture.server.endpoint}/${Bucket}?cors`, { method: 'POST', body: '' })
    expect(post.status).toBe(405)
  })

  it('a bucket deleted and created again starts without the old configurations', async () => {
    const b = 'reborn-1250000000'
    await fixture.cos.putBucket({ Bucket: b, Region })
    await fixture.cos.putBucketTagging({ Bucket: b, Region, Tags: [{ Key: 'k', Value: 'v' }] })
    await fixture.cos.deleteBucket({ Bucket: b, Region })
    await fixture.cos.putBucket({ Bucket: b, Region })
    expect((await fixture.cos.getBucketTagging({ Bucket: b, Region })).Tags).toEqual([])
  })
})

describe('ACLs', () => {
  it('bucket ACL: private by default, canned ACLs stored, parsed by both SDKs', async () => {
    const initial = await fixture.cos.getBucketAcl({ Bucket, Region })
    expect(initial.ACL).toBe('private')
    expect(initial.Owner.ID).toBe('qcs::cam::uin/1250000000:uin/1250000000')
    await fixture.cos.putBucketAcl({ Bucket, Region, ACL: 'public-read' })
    expect((await fixture.cos.getBucketAcl({ Bucket, Region })).ACL).toBe('public-read')
    const viaS3 = await fixture.s3.send(new GetBucketAclCommand({ Bucket }))
    expect(viaS3.Owner?.ID).toBe('qcs::cam::uin/1250000000:uin/1250000000')
    expect(viaS3.Grants?.map((g) => [g.Grantee?.Type, g.Permission])).toEqual([
      ['CanonicalUser', 'FULL_CONTROL'],
      ['Group', 'READ']
    ])
  })

  it('object ACL and tagging', async () => {
    expect((await fixture.cos.getObjectAcl({ Bucket, Region, Key: 'obj.txt' })).ACL).toBe('private')
    await fixture.cos.putObjectAcl({ Bucket, Region, Key: 'obj.txt', ACL: 'public-read' })
    expect((await fixture.cos.getObjectAcl({ Bucket, Region, Key: 'obj.txt' })).ACL).toBe('public-read')
    const viaS3 = await fixture.s3.send(new GetObjectAclCommand({ Bucket, Key: 'obj.txt' }))
    expect(viaS3.Grants).toHaveLength(2)

    expect((await fixture.cos.getObjectTagging({ Bucket, Region, Key: 'obj.txt' })).Tags).toEqual([])
    await fixture.cos.putObjectTagging({ Bucket, Region, Key: 'obj.txt', Tags: [{ Key: 'a', Value: '1' }] })
    expect((await fixture.cos.getObjectTagging({ Bucket, Region, Key: 'obj.txt' })).Tags).toEqual([
      { Key: 'a', Value: '1' }
    ])
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    const error = await fixture.cos
      .putObjectTagging({ Bucket, Region, Key: 'obj.txt', Tags: tooMany })
      .catch((e: unknown) => e)
    expect(errorOf(error)).toEqual({ code: 'InvalidTag', status: 400 })

    await fixture.cos.putObject({ Bucket, Region, Key: 'obj.txt', Body: 'new version' })
    expect((await fixture.cos.getObjectTagging({ Bucket, Region, Key: 'obj.txt' })).Tags).toEqual([])
    const missing = await fixture.cos.getObjectAcl({ Bucket, Region, Key: 'nope' }).catch((e: unknown) => e)
    expect(errorOf(missing).status).toBe(404)
  })
})
