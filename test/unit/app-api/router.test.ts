/**
 * The app-API router built from a contract route table, without a server: matching, strict
 * validation, errors with codes; and (checked by `tsc`) that handlers and client calls are typed
 * by the table.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ApiClient } from '../../../preload/contract/client.ts'
import { route, wholeNumber, type GroupHandlers, type Handlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import { ApiError, Router } from '../../../main/app-api/router.ts'

const table = {
  'notes.list': route({
    method: 'GET',
    path: '/api/notes',
    query: z.strictObject({ limit: wholeNumber().optional(), tag: z.string().optional() }),
    response: z.object({ notes: z.array(z.string()) })
  }),
  'notes.add': route({
    method: 'POST',
    path: '/api/notes/:book/:page',
    body: z.strictObject({ text: z.string().min(1) }),
    response: z.object({ book: z.string(), page: z.string(), text: z.string() })
  })
}

const handlers: Handlers<typeof table> = {
  'notes.list': ({ query }) => ({ notes: Array.from({ length: query.limit ?? 1 }, () => query.tag ?? 'note') }),
  'notes.add': ({ params, body }) => ({ ...params, text: body.text })
}

function call(router: Router<typeof table>, method: string, path: string, body?: unknown): Promise<unknown> {
  return router.handle({
    method,
    url: new URL(path, 'http://127.0.0.1'),
    readBody: () => Promise.resolve(body),
    signal: new AbortController().signal
  })
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ApiError)
  const { code, status, message } = error as ApiError
  return { code, status, message }
}

function ready(): Router<typeof table> {
  const router = new Router(table, { checkResponses: true })
  router.use(handlers)
  return router
}

describe('Router from a route table', () => {
  it('answers 503 NotReady until handlers are bound', async () => {
    expect(await failure(call(new Router(table), 'GET', '/api/notes'))).toMatchObject({ code: 'NotReady', status: 503 })
  })

  it('binds params by name and parses the query (whole numbers become numbers)', async () => {
    const router = ready()
    expect(await call(router, 'GET', '/api/notes?limit=2&tag=x')).toEqual({ notes: ['x', 'x'] })
    expect(await call(router, 'POST', '/api/notes/my%20book/7', { text: 'hi' })).toEqual({
      book: 'my book',
      page: '7',
      text: 'hi'
    })
  })

  it('404s an unknown path, 405s a known path with another method', async () => {
    const router = ready()
    expect(await failure(call(router, 'GET', '/api/nope'))).toMatchObject({ code: 'NotFound', status: 404 })
    expect(await failure(call(router, 'GET', '/api/notes/a'))).toMatchObject({ code: 'NotFound', status: 404 })
    expect(await failure(call(router, 'DELETE', '/api/notes'))).toMatchObject({
      code: 'MethodNotAllowed',
      status: 405
    })
  })

  it('rejects what the schemas reject with 400 InvalidRequest and a readable message', async () => {
    const router = ready()
    expect(await failure(call(router, 'GET', '/api/notes?limit=ten'))).toEqual({
      code: 'InvalidRequest',
      status: 400,
      message: 'limit: expected a whole number'
    })
    expect(await failure(call(router, 'GET', '/api/notes?colour=red'))).toMatchObject({
      code: 'InvalidRequest',
      message: expect.stringContaining('colour')
    })
    expect(await failure(call(router, 'POST', '/api/notes/b/1', { text: '' }))).toMatchObject({
      code: 'InvalidRequest',
      message: expect.stringMatching(/^text: /)
    })
    expect(await failure(call(router, 'POST', '/api/notes/b/1'))).toMatchObject({ code: 'InvalidRequest' })
    expect(await failure(call(router, 'POST', '/api/notes/b/1', { text: 7 }))).toMatchObject({
      code: 'InvalidRequest'
    })
  })

  it('ignores the transport token in the query string', async () => {
    expect(await call(ready(), 'GET', '/api/notes?token=abc')).toEqual({ notes: ['note'] })
  })
})

describe('types derived from the table (checked by tsc)', () => {
  it('makes a missing or mistyped handler and a wrong client call type errors', () => {
    // @ts-expect-error: 'notes.add' has no handler
    const missing: Handlers<typeof table> = { 'notes.list': () => ({ notes: [] }) }
    const wrong: Handlers<typeof table> = {
      ...handlers,
      // @ts-expect-error: the answer must match the response schema
      'notes.list': () => ({ notes: [1] })
    }
    // @ts-expect-error: the app's 'info' group needs its 'info.get' handler
    const group: GroupHandlers<AppRoutes, 'info'> = {}
    const typedCalls = (client: ApiClient) => {
      // @ts-expect-error: functions.get needs params.name
      void client.functions.get()
      // @ts-expect-error: triggers.explain needs query.key
      void client.triggers.explain({ query: { bucket: 'b' } })
      // @ts-expect-error: no such route
      void client.call('functions.fly', {})
      return client.functions.invoke({ params: { name: 'f' }, body: { template: 'cos:ObjectCreated:Put' } })
    }
    expect([missing, wrong, group, typedCalls].every(Boolean)).toBe(true)
  })
})
