/** Bucket and object sub-resources that are stored and returned, through both SDKs. */
import type { S3Client } from '@aws-sdk/client-s3'
import { GetBucketAclCommand, GetObjectAclCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type COS from 'cos-nodejs-sdk-v5'
import { cosClient, REGION, s3Client, startTestCosServer, type TestCosServer } from './helpers/cos-server.ts'

const Bucket = 'configs-1250000000'
const Region = REGION
let server: TestCosServer
let cos: COS
let s3: S3Client

function errorOf(error: unknown): { code: string; status: number } {
  const e = error as { statusCode?: number; code?: string; error?: { Code?: string } }
  return { code: e.error?.Code ?? e.code ?? '', status: e.statusCode ?? 0 }
}

beforeAll(async () => {
  server = await startTestCosServer()
  cos = cosClient(server.port)
  s3 = s3Client(server.port)
  await cos.putBucket({ Bucket, Region })
  await cos.putObject({ Bucket, Region, Key: 'obj.txt', Body: 'o' })
})
afterAll(() => server.close())

describe('stored bucket configurations', () => {
  it('CORS: the loopback default before, stored, returned, deleted', async () => {
    const defaults = (await cos.getBucketCors({ Bucket, Region })).CORSRules
    expect(defaults).toHaveLength(1)
    expect(defaults[0].AllowedOrigins ?? defaults[0].AllowedOrigin).toContain('http://localhost:*')
    await cos.putBucketCors({
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
    const rules = (await cos.getBucketCors({ Bucket, Region })).CORSRules
    expect(rules).toHaveLength(1)
    expect(rules[0].AllowedOrigins ?? rules[0].AllowedOrigin).toEqual(['https://app.example'])
    await cos.deleteBucketCors({ Bucket, Region })
    expect((await cos.getBucketCors({ Bucket, Region })).CORSRules).toEqual([])
  })

  it('tagging, lifecycle, website, policy round-trip', async () => {
    await cos.putBucketTagging({ Bucket, Region, Tags: [{ Key: 'team', Value: 'storage' }] })
    expect((await cos.getBucketTagging({ Bucket, Region })).Tags).toEqual([{ Key: 'team', Value: 'storage' }])
    await cos.deleteBucketTagging({ Bucket, Region })
    expect((await cos.getBucketTagging({ Bucket, Region })).Tags).toEqual([])

    await cos.putBucketLifecycle({
      Bucket,
      Region,
      Rules: [
        { ID: 'expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: '30' } }
      ] as never
    })
    const lifecycle = await cos.getBucketLifecycle({ Bucket, Region })
    expect(lifecycle.Rules.map((r) => r.ID)).toEqual(['expire-logs'])

    await cos.putBucketWebsite({
      Bucket,
      Region,
      WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } as never
    })
    const website = await cos.getBucketWebsite({ Bucket, Region })
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
    await cos.putBucketPolicy({ Bucket, Region, Policy: policy as never })
    expect((await cos.getBucketPolicy({ Bucket, Region })).Policy).toEqual(policy)
  })

  it('defaults and 404s before a PUT; malformed bodies are MalformedXML; POST is MethodNotAllowed', async () => {
    const logging = await fetch(`${server.endpoint}/${Bucket}?logging`)
    expect(logging.status).toBe(200)
    expect(await logging.text()).toContain('<BucketLoggingStatus/>')
    const encryption = await fetch(`${server.endpoint}/${Bucket}?encryption`)
    expect(encryption.status).toBe(404)
    const policy = await cos
      .deleteBucketPolicy({ Bucket, Region })
      .then(() => cos.getBucketPolicy({ Bucket, Region }))
      .catch((e: unknown) => e)
    expect(errorOf(policy).status).toBe(404)
    const bad = await fetch(`${server.endpoint}/${Bucket}?cors`, { method: 'PUT', body: '<CORSConfiguration><oops' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('<Code>MalformedXML</Code>')
    const post = await fetch(`${server.endpoint}/${Bucket}?cors`, { method: 'POST', body: '' })
    expect(post.status).toBe(405)
  })

  it('a bucket deleted and created again starts without the old configurations', async () => {
    const b = 'reborn-1250000000'
    await cos.putBucket({ Bucket: b, Region })
    await cos.putBucketTagging({ Bucket: b, Region, Tags: [{ Key: 'k', Value: 'v' }] })
    await cos.deleteBucket({ Bucket: b, Region })
    await cos.putBucket({ Bucket: b, Region })
    expect((await cos.getBucketTagging({ Bucket: b, Region })).Tags).toEqual([])
  })
})

describe('ACLs', () => {
  it('bucket ACL: private by default, canned ACLs stored, parsed by both SDKs', async () => {
    const initial = await cos.getBucketAcl({ Bucket, Region })
    expect(initial.ACL).toBe('private')
    expect(initial.Owner.ID).toBe('qcs::cam::uin/1250000000:uin/1250000000')
    await cos.putBucketAcl({ Bucket, Region, ACL: 'public-read' })
    expect((await cos.getBucketAcl({ Bucket, Region })).ACL).toBe('public-read')
    const viaS3 = await s3.send(new GetBucketAclCommand({ Bucket }))
    expect(viaS3.Owner?.ID).toBe('qcs::cam::uin/1250000000:uin/1250000000')
    expect(viaS3.Grants?.map((g) => [g.Grantee?.Type, g.Permission])).toEqual([
      ['CanonicalUser', 'FULL_CONTROL'],
      ['Group', 'READ']
    ])
  })

  it('object ACL and tagging', async () => {
    expect((await cos.getObjectAcl({ Bucket, Region, Key: 'obj.txt' })).ACL).toBe('private')
    await cos.putObjectAcl({ Bucket, Region, Key: 'obj.txt', ACL: 'public-read' })
    expect((await cos.getObjectAcl({ Bucket, Region, Key: 'obj.txt' })).ACL).toBe('public-read')
    const viaS3 = await s3.send(new GetObjectAclCommand({ Bucket, Key: 'obj.txt' }))
    expect(viaS3.Grants).toHaveLength(2)

    expect((await cos.getObjectTagging({ Bucket, Region, Key: 'obj.txt' })).Tags).toEqual([])
    await cos.putObjectTagging({ Bucket, Region, Key: 'obj.txt', Tags: [{ Key: 'a', Value: '1' }] })
    expect((await cos.getObjectTagging({ Bucket, Region, Key: 'obj.txt' })).Tags).toEqual([{ Key: 'a', Value: '1' }])
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    const error = await cos.putObjectTagging({ Bucket, Region, Key: 'obj.txt', Tags: tooMany }).catch((e: unknown) => e)
    expect(errorOf(error)).toEqual({ code: 'InvalidTag', status: 400 })

    await cos.putObject({ Bucket, Region, Key: 'obj.txt', Body: 'new version' })
    expect((await cos.getObjectTagging({ Bucket, Region, Key: 'obj.txt' })).Tags).toEqual([])
    const missing = await cos.getObjectAcl({ Bucket, Region, Key: 'nope' }).catch((e: unknown) => e)
    expect(errorOf(missing).status).toBe(404)
  })
})
