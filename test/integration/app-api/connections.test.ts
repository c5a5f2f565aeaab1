/**
 * Saved connections (app API): a second COS Local in signed mode on another port is reached
 * with signatures the app API makes, the secrets stay in a 0600 file and never come back.
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient, type ApiClient } from '../../../preload/contract/client.ts'
import { startCosLocal, type CosLocal } from '../../../main/api/index.ts'

let local: CosLocal
let remote: CosLocal
let api: ApiClient
const SECRET_KEY = 'remote-secret-key-0123456789'

beforeAll(async () => {
  ;[local, remote] = await Promise.all([
    startCosLocal(),
    startCosLocal({ uiPort: false, credentials: { secretId: 'AKIDremote123456', secretKey: SECRET_KEY } })
  ])
  const ui = new URL(local.uiUrl as string)
  api = createApiClient({ baseUrl: ui.origin, token: ui.searchParams.get('token') as string })
})
afterAll(() => Promise.all([local.stop(), remote.stop()]))

async function signedFetch(id: string, method: string, path: string, body?: string): Promise<Response> {
  const url = new URL(remote.endpoint + path)
  const headers = { host: url.host }
  const { authorization } = await api.connections.sign({
    params: { id },
    body: { method, pathname: decodeURIComponent(url.pathname), query: {}, headers }
  })
  return fetch(url, { method, body, headers: { authorization } })
}

describe('saved connections', () => {
  it('are created with masked secrets, kept 0600, and never listed in full', async () => {
    const created = await api.connections.create({
      body: {
        name: 'team instance',
        kind: 'custom',
        region: 'ap-guangzhou',
        endpoint: remote.endpoint + '/',
        secretId: 'AKIDremote123456',
        secretKey: SECRET_KEY
      }
    })
    expect(created).toMatchObject({ name: 'team instance', endpoint: remote.endpoint, secretIdMasked: 'AKID••••3456' })
    const listed = await api.connections.list()
    expect(listed.items.map((item) => item.id)).toEqual([created.id])
    expect(JSON.stringify(listed)).not.toContain(SECRET_KEY)
    expect(JSON.stringify(listed)).not.toContain('AKIDremote123456')
    const file = join(local.dataDir, 'connections.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain(SECRET_KEY)
  })

  it('sign requests the signed instance accepts: create a bucket, upload, list', async () => {
    const [connection] = (await api.connections.list()).items
    const id = connection!.id
    expect((await signedFetch(id, 'PUT', '/shared-1250000000')).status).toBe(200)
    expect((await signedFetch(id, 'PUT', '/shared-1250000000/hello.txt', 'hi')).status).toBe(200)
    const list = await signedFetch(id, 'GET', '/shared-1250000000')
    expect(await list.text()).toContain('<Key>hello.txt</Key>')
    // the same request unsigned is refused by the remote
    expect((await fetch(`${remote.endpoint}/shared-1250000000`)).status).toBe(403)
  })

  it('a wrong remote credential gets the COS code from the remote', async () => {
    const wrong = await api.connections.create({
      body: {
        name: 'wrong key',
        kind: 'custom',
        region: 'ap-guangzhou',
        endpoint: remote.endpoint,
        secretId: 'AKIDremote123456',
        secretKey: 'not-the-key'
      }
    })
    const res = await signedFetch(wrong.id, 'GET', '/')
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>')
  })

  it('rejects a malformed endpoint and removes connections', async () => {
    const bad = await api.connections
      .create({
        body: {
          name: 'bad',
          kind: 'custom',
          region: 'ap-guangzhou',
          endpoint: 'ftp://x',
          secretId: 'a',
          secretKey: 'b'
        }
      })
      .catch((e: unknown) => e)
    expect(bad).toMatchObject({ code: 'InvalidEndpoint' })
    for (const item of (await api.connections.list()).items) await api.connections.remove({ params: { id: item.id } })
    expect((await api.connections.list()).items).toEqual([])
    const gone = await api.connections
      .sign({ params: { id: 'conn-none' }, body: { method: 'GET', pathname: '/', query: {}, headers: {} } })
      .catch((e: unknown) => e)
    expect(gone).toMatchObject({ code: 'NoSuchConnection', status: 404 })
  })
})
