/** Origin-pull through cos-nodejs-sdk-v5 against a real local origin server. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type COS from 'cos-nodejs-sdk-v5'
import { cosClient, REGION, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const Bucket = 'mirror-1250000000'
const Region = REGION

let server: TestCosServer
let cos: COS
let origin: Server
let originHost: string
const originHits: string[] = []

function errorOf(error: unknown): { code: string; status: number; message: string } {
  const e = error as { statusCode?: number; code?: string; error?: { Code?: string; Message?: string } }
  return { code: e.error?.Code ?? e.code ?? '', status: e.statusCode ?? 0, message: e.error?.Message ?? '' }
}

const rule = (priority: number, type: string, prefix: string, host: string, extra: Record<string, unknown> = {}) => ({
  RulePriority: priority,
  OriginType: type,
  OriginCondition: { HTTPStatusCode: 404, Prefix: prefix },
  OriginParameter: { Protocol: 'HTTP', FollowQueryString: 'true', HttpRedirectCode: '301', ...extra },
  OriginInfo: { HostInfo: { HostName: host } }
})

beforeAll(async () => {
  origin = createServer((req, res) => {
    originHits.push(req.url ?? '')
    const path = (req.url ?? '').split('?')[0]
    if (path === '/m/hello.txt' || path === '/p/hello.txt' || path === '/origin-root/m2/file.txt') {
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        'Cache-Control': 'max-age=5',
        'x-origin-header': req.headers['x-added'] ?? ''
      })
      res.end(`origin says ${path}`)
    } else if (path === '/m/moved.txt') {
      res.writeHead(302, { Location: '/m/hello.txt' })
      res.end()
    } else {
      res.writeHead(404)
      res.end('nope')
    }
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  originHost = `127.0.0.1:${(origin.address() as AddressInfo).port}`
  server = await startTestCosServer()
  cos = cosClient(server.port)
  await cos.putBucket({ Bucket, Region })
})
afterAll(async () => {
  await server.close()
  await new Promise((resolve) => origin.close(resolve))
})

describe('?origin configuration', () => {
  it('404 OriginConfigurationNotFoundError before any rule', async () => {
    const error = await cos.getBucketOrigin({ Bucket, Region }).catch((e: unknown) => e)
    expect(errorOf(error)).toMatchObject({ code: 'OriginConfigurationNotFoundError', status: 404 })
  })

  it('PUT stores the rules and GET returns them in priority order', async () => {
    await cos.putBucketOrigin({
      Bucket,
      Region,
      OriginRule: [
        rule(3, 'Redirect', 'r/', 'new.example.com'),
        rule(1, 'Mirror', 'm/', originHost, {
          HttpHeader: { NewHttpHeaders: { Header: [{ Key: 'x-added', Value: 'yes' }] } }
        }),
        rule(2, 'Proxy', 'p/', originHost),
        rule(4, 'Mirror', 'down/', '127.0.0.1:1'),
        {
          ...rule(5, 'Mirror', 'm2/', originHost),
          OriginInfo: {
            HostInfo: { HostName: originHost },
            FileInfo: { PrefixConfiguration: { Prefix: 'origin-root/' } }
          }
        }
      ] as never
    })
    const data = await cos.getBucketOrigin({ Bucket, Region })
    expect(data.OriginRule.map((r) => [String(r.RulePriority), r.OriginType])).toEqual([
      ['1', 'Mirror'],
      ['2', 'Proxy'],
      ['3', 'Redirect'],
      ['4', 'Mirror'],
      ['5', 'Mirror']
    ])
  })

  it('rejects an invalid rule with InvalidArgument', async () => {
    const error = await cos
      .putBucketOrigin({ Bucket, Region, OriginRule: [rule(1, 'Teleport', '', originHost)] as never })
      .catch((e: unknown) => e)
    expect(errorOf(error)).toMatchObject({ code: 'InvalidArgument', status: 400 })
  })
})

describe('a GET miss under the rules', () => {
  it('Mirror: fetches, stores, returns and fires ObjectCreated:Origin; the next GET is local', async () => {
    const data = await cos.getObject({ Bucket, Region, Key: 'm/hello.txt' })
    expect(data.Body.toString()).toBe('origin says /m/hello.txt')
    expect(data.headers?.['content-type']).toBe('text/plain')
    expect(originHits.filter((u) => u.startsWith('/m/hello.txt'))).toHaveLength(1)
    const head = await cos.headObject({ Bucket, Region, Key: 'm/hello.txt' })
    expect(head.headers?.['cache-control']).toBe('max-age=5')
    const events = server.queue.pending(0, 1000).map((q) => q.event)
    expect(events.filter((e) => e.key === 'm/hello.txt').map((e) => e.name)).toEqual(['cos:ObjectCreated:Origin'])
    await cos.getObject({ Bucket, Region, Key: 'm/hello.txt' })
    expect(originHits.filter((u) => u.startsWith('/m/hello.txt'))).toHaveLength(1)
  })

  it('Mirror follows the origin’s redirects and applies the FileInfo prefix', async () => {
    expect((await cos.getObject({ Bucket, Region, Key: 'm/moved.txt' })).Body.toString()).toBe(
      'origin says /m/hello.txt'
    )
    expect((await cos.getObject({ Bucket, Region, Key: 'm2/file.txt' })).Body.toString()).toBe(
      'origin says /origin-root/m2/file.txt'
    )
  })

  it('Proxy: returns the origin’s bytes without storing them', async () => {
    const data = await cos.getObject({ Bucket, Region, Key: 'p/hello.txt' })
    expect(data.Body.toString()).toBe('origin says /p/hello.txt')
    expect(() => server.store.headObject(Bucket, 'p/hello.txt')).toThrow(/does not exist/)
    expect(server.queue.pending(0, 1000).some((q) => q.event.key === 'p/hello.txt')).toBe(false)
  })

  it('Redirect: 301 with Location on the origin', async () => {
    const res = await fetch(`${server.endpoint}/${Bucket}/r/page.html?v=2`, { redirect: 'manual' })
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('http://new.example.com/r/page.html?v=2')
  })

  it('origin 404 and an unreachable origin → NoSuchKey saying why', async () => {
    const missing = errorOf(await cos.getObject({ Bucket, Region, Key: 'm/absent.txt' }).catch((e: unknown) => e))
    expect(missing).toMatchObject({ code: 'NoSuchKey', status: 404 })
    expect(missing.message).toContain('answered 404')
    const down = errorOf(await cos.getObject({ Bucket, Region, Key: 'down/x' }).catch((e: unknown) => e))
    expect(down).toMatchObject({ code: 'NoSuchKey', status: 404 })
    expect(down.message).toContain('origin-pull failed')
  })

  it('keys outside every rule stay plain 404s', async () => {
    const error = await cos.getObject({ Bucket, Region, Key: 'elsewhere.txt' }).catch((e: unknown) => e)
    expect(errorOf(error)).toMatchObject({ code: 'NoSuchKey', status: 404 })
  })

  it('DELETE ?origin removes the rules', async () => {
    await cos.deleteBucketOrigin({ Bucket, Region })
    const error = await cos.getBucketOrigin({ Bucket, Region }).catch((e: unknown) => e)
    expect(errorOf(error).code).toBe('OriginConfigurationNotFoundError')
  })
})
