/**
 * Routes registered from a contract route table: a real app-API server on port 0 with a small
 * table of its own, called raw over HTTP and through the contract's typed client.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppApiError, createApiClient } from '../../../preload/contract/client.ts'
import { route, wholeNumber, type Handlers } from '../../../preload/contract/route.ts'
import { routes as appRoutes } from '../../../preload/contract/routes.ts'
import { createApp, type App } from '../../../main/app.ts'
import { appHandlers } from '../../../main/app-api/routes/index.ts'
import { ApiError, Router } from '../../../main/app-api/router.ts'
import { startAppApi, type AppApiServer } from '../../../main/app-api/server.ts'
import { typedAppClient } from '../../helpers/app-api-client.ts'

const Item = z.object({ name: z.string(), size: z.number() })
const table = {
  'items.get': route({
    method: 'GET',
    path: '/api/items/:name',
    query: z.strictObject({ times: wholeNumber().optional() }),
    response: Item
  }),
  'items.put': route({
    method: 'PUT',
    path: '/api/items/:name',
    body: z.strictObject({ size: z.number().int() }),
    response: Item
  }),
  'items.remove': route({ method: 'DELETE', path: '/api/items/:name', response: z.object({ deleted: z.string() }) }),
  'items.broken': route({ method: 'GET', path: '/api/broken', response: Item }),
  'items.missing': route({ method: 'GET', path: '/api/missing', response: Item })
}

const handlers: Handlers<typeof table> = {
  'items.get': ({ params, query }) => ({ name: params.name, size: query.times ?? 1 }),
  'items.put': ({ params, body }) => ({ name: params.name, size: body.size }),
  // Answers outside its response schema (a string where a number belongs).
  'items.remove': ({ params }) => ({ deleted: params.name }),
  'items.broken': () => ({ name: 'x', size: 'big' }) as unknown as { name: string; size: number },
  'items.missing': () => {
    throw new ApiError('NoSuchItem', 'There is no such item', 404)
  }
}

let uiDir: string
let checked: AppApiServer
let unchecked: AppApiServer

async function serve(checkResponses: boolean): Promise<AppApiServer> {
  const router = new Router(table, { checkResponses })
  router.use(handlers)
  return startAppApi({ host: '127.0.0.1', port: 0, router, uiDir, token: 'secret-token' })
}

beforeAll(async () => {
  uiDir = mkdtempSync(join(tmpdir(), 'cos-local-routes-'))
  checked = await serve(true)
  unchecked = await serve(false)
})

afterAll(async () => {
  await checked.close()
  await unchecked.close()
  rmSync(uiDir, { recursive: true, force: true })
})

async function raw(
  path: string,
  init: { method?: string; body?: string; token?: string | null } = {}
): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const token = init.token === undefined ? 'secret-token' : init.token
  const response = await fetch(checked.url + path, {
    method: init.method ?? 'GET',
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    body: init.body
  })
  return { status: response.status, body: (await response.json()) as never }
}

describe('routes registered from the table', () => {
  it('calls the handler bound to the route name with decoded params and parsed query', async () => {
    const got = await raw('/api/items/a%20b%2Fc?times=3')
    expect(got).toEqual({ status: 200, body: { name: 'a b/c', size: 3 } })
  })

  it('answers an unknown route 404 NotFound and a wrong method 405', async () => {
    expect(await raw('/api/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } })
    expect(await raw('/api/items/a', { method: 'POST' })).toMatchObject({
      status: 405,
      body: { error: { code: 'MethodNotAllowed', message: 'POST not allowed; use GET, PUT, DELETE' } }
    })
  })

  it('rejects a body outside the schema with 400 InvalidRequest naming the field (no coercion)', async () => {
    const got = await raw('/api/items/a', { method: 'PUT', body: JSON.stringify({ size: '12' }) })
    expect(got.status).toBe(400)
    expect(got.body.error?.code).toBe('InvalidRequest')
    expect(got.body.error?.message).toMatch(/^size: /)
    const extra = await raw('/api/items/a', { method: 'PUT', body: JSON.stringify({ size: 1, colour: 'red' }) })
    expect(extra).toMatchObject({ status: 400, body: { error: { code: 'InvalidRequest' } } })
    const notJson = await raw('/api/items/a', { method: 'PUT', body: '{size' })
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'InvalidJson' } } })
  })

  it('rejects unknown, repeated or malformed query parameters and a body where none is taken', async () => {
    for (const path of [
      '/api/items/a?times=x',
      '/api/items/a?times=-1',
      '/api/items/a?colour=red',
      '/api/items/a?times=1&times=2',
      '/api/broken?x=1'
    ]) {
      expect(await raw(path), path).toMatchObject({ status: 400, body: { error: { code: 'InvalidRequest' } } })
    }
    expect(await raw('/api/items/a', { method: 'DELETE', body: '{}' })).toMatchObject({
      status: 400,
      body: { error: { code: 'InvalidRequest', message: 'DELETE /api/items/:name takes no body' } }
    })
    expect(await raw('/api/items/a', { method: 'DELETE' })).toEqual({ status: 200, body: { deleted: 'a' } })
  })

  it('keeps the token check: 401 without it, the ?token= form accepted and not taken as a query parameter', async () => {
    expect(await raw('/api/items/a', { token: null })).toMatchObject({
      status: 401,
      body: { error: { code: 'Unauthorized' } }
    })
    expect(await raw('/api/items/a', { token: 'wrong-token!' })).toMatchObject({ status: 401 })
    expect(await raw('/api/items/a?token=secret-token&times=2', { token: null })).toEqual({
      status: 200,
      body: { name: 'a', size: 2 }
    })
  })

  it('checks answers against the response schema when asked (500 InvalidResponse), passes them through otherwise', async () => {
    const bad = await raw('/api/broken')
    expect(bad.status).toBe(500)
    expect(bad.body.error?.code).toBe('InvalidResponse')
    expect(bad.body.error?.message).toContain('items.broken')
    const passed = await fetch(unchecked.url + '/api/broken', { headers: { authorization: 'Bearer secret-token' } })
    expect(await passed.json()).toEqual({ name: 'x', size: 'big' })
  })

  it('keeps the code and status of errors a handler throws', async () => {
    expect(await raw('/api/missing')).toEqual({
      status: 404,
      body: { error: { code: 'NoSuchItem', message: 'There is no such item' } }
    })
  })
})

describe('the typed client derived from the table', () => {
  const client = () => createApiClient({ baseUrl: checked.url, token: 'secret-token', routes: table })

  it('fills path params, sends query and body, and returns the typed answer', async () => {
    expect(await client().items.get({ params: { name: 'x/y z' }, query: { times: 5 } })).toEqual({
      name: 'x/y z',
      size: 5
    })
    expect(await client().call('items.put', { params: { name: 'p' }, body: { size: 7 } })).toEqual({
      name: 'p',
      size: 7
    })
  })

  it('throws AppApiError with the server code and status', async () => {
    const error = await client()
      .items.missing()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppApiError)
    expect(error).toMatchObject({ code: 'NoSuchItem', status: 404, message: 'There is no such item' })
    const bad = await client()
      .items.put({ params: { name: 'p' }, body: { size: 1.5 } })
      .catch((e: unknown) => e)
    expect(bad).toMatchObject({ code: 'InvalidRequest', status: 400 })
  })

  it('validates answers when asked and reports an unreachable core as NetworkError', async () => {
    const validating = createApiClient({
      baseUrl: unchecked.url,
      token: 'secret-token',
      routes: table,
      validateResponses: true
    })
    await expect(validating.items.broken()).rejects.toMatchObject({ code: 'InvalidResponse' })
    const gone = createApiClient({ baseUrl: 'http://127.0.0.1:1', token: 't', routes: table })
    await expect(gone.items.missing()).rejects.toMatchObject({ code: 'NetworkError', status: 0 })
  })

  it('gives the push socket URL with the token', () => {
    expect(client().pushUrl()).toBe(`${checked.url.replace('http:', 'ws:')}/api/push?token=secret-token`)
  })
})

describe("the app's own route table", () => {
  it('has one handler per route and distinct method + path pairs under /api/', () => {
    const stub = {} as never
    const bound = appHandlers({
      events: stub,
      store: stub,
      info: () => stub,
      cos: () => stub,
      snapshot: stub,
      connections: stub
    })
    expect(Object.keys(bound).sort()).toEqual(Object.keys(appRoutes).sort())
    const seen = new Set<string>()
    for (const [name, spec] of Object.entries(appRoutes)) {
      expect(spec.path, name).toMatch(/^\/api\//)
      expect(name, name).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/)
      const key = `${spec.method} ${spec.path.replace(/:[^/]+/g, ':')}`
      expect(seen.has(key), key).toBe(false)
      seen.add(key)
    }
  })
})

describe("the app's routes through the typed client", () => {
  let app: App
  let dataDir: string
  const api = typedAppClient(() => app)

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cos-local-routes-app-'))
    app = await createApp({ dataDir, port: 0, uiPort: 0 })
  })

  afterAll(async () => {
    await app.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('answers each read-only route within its response schema', async () => {
    expect((await api.info.get()).cosEndpoint).toBe(app.cosEndpoint)
    expect((await api.functions.templates()).templates.map((t) => t.id)).toContain('nodejs-print-event')
    const { templates } = await api.testTemplates.list()
    const event = await api.testTemplates.get({
      params: { event: templates[0]!.id },
      query: { bucket: 'b-1250000000', key: 'k.txt' }
    })
    expect(JSON.stringify(event)).toContain('k.txt')
    expect(await api.functions.list()).toEqual({ functions: [] })
    expect(await api.triggers.list({ query: { bucket: 'b-1250000000' } })).toEqual({ triggers: [] })
    expect(await api.invocations.list({ query: { limit: 5 } })).toEqual({ invocations: [] })
    expect(await api.invocations.deadLetters()).toEqual({ invocations: [] })
    expect(await api.logs.list({ query: { function: 'none', after: 0 } })).toEqual({ lines: [] })
    expect(await api.events.recent({ query: { limit: 3 } })).toEqual({ events: [] })
    expect((await api.triggers.explain({ query: { bucket: 'b-1250000000', key: 'k' } })).events).toEqual([])
    expect((await api.config.export()).format).toBe('serverless.yml')
    await expect(api.invocations.wait({ query: { function: 'none', timeout: 10 } })).rejects.toMatchObject({
      code: 'WaitTimeout',
      status: 408
    })
  })
})
