/**
 * The one typed app-API client, derived from the route table: the renderer (lib/api.ts) and the
 * CLI (main/cli) both use it. `client.call('functions.get', { params: { name } })` or
 * `client.functions.get({ params: { name } })`; a failed call throws `AppApiError` with the
 * server's `{ error: { code, message } }` (COS codes kept), or code `NetworkError` (status 0)
 * when the core cannot be reached.
 */
import type { RouteInput, RouteOutput, RouteSpec, RouteTable } from './route.ts'
import { routeIndex, type RouteIndex } from './route-index.ts'
import type { AppRoutes } from './routes.ts'

export class AppApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no answer came. */
    readonly status = 0
  ) {
    super(message)
    this.name = 'AppApiError'
  }
}

export interface ApiClientOptions<T extends RouteTable = AppRoutes> {
  /** The app API's origin, e.g. `http://127.0.0.1:9501`. */
  baseUrl: string
  token: string
  /** Defaults to the global fetch. */
  fetch?: typeof fetch
  /**
   * The route table with its schemas. Without it the client knows the app's routes by name,
   * method and path only (all a browser bundle needs); with it, `validateResponses` can work.
   */
  routes?: T
  /** Parse every answer with the route's response schema (needs `routes`; for tests and development). */
  validateResponses?: boolean
}

/** Arguments of a call: the input may be left out when the route needs none. */
export type CallArgs<R extends RouteSpec> =
  object extends RouteInput<R> ? [input?: RouteInput<R>] : [input: RouteInput<R>]

type GroupOf<Name> = Name extends `${infer Group}.${string}` ? Group : never
type ActionOf<Name, Group extends string> = Name extends `${Group}.${infer Action}` ? Action : never

/** `client.functions.list(…)`: the routes grouped by the part of their name before the dot. */
export type GroupedClient<T extends RouteTable> = {
  [Group in GroupOf<keyof T>]: {
    [Action in ActionOf<keyof T, Group>]: `${Group}.${Action}` extends keyof T
      ? (...args: CallArgs<T[`${Group}.${Action}`]>) => Promise<RouteOutput<T[`${Group}.${Action}`]>>
      : never
  }
}

export type ApiClient<T extends RouteTable = AppRoutes> = GroupedClient<T> & {
  call<Name extends keyof T & string>(name: Name, ...args: CallArgs<T[Name]>): Promise<RouteOutput<T[Name]>>
  /** The push WebSocket's URL (`ws://…/api/push?token=…`). */
  pushUrl(): string
}

interface AnyInput {
  params?: Record<string, string>
  query?: Record<string, unknown>
  body?: unknown
}

export function createApiClient<T extends RouteTable = AppRoutes>(options: ApiClientOptions<T>): ApiClient<T> {
  const table: RouteTable | undefined = options.routes
  const index: RouteIndex = table ? indexOf(table) : routeIndex
  if (options.validateResponses && !table) throw new Error('validateResponses needs the route table (routes)')
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))

  async function call(name: string, input: AnyInput = {}): Promise<unknown> {
    const spec = index[name]
    if (!spec) throw new AppApiError('UnknownRoute', `No app-API route named "${name}"`)
    const url = baseUrl + fillPath(spec.path, input.params) + queryString(input.query)
    let response: Response
    try {
      response = await doFetch(url, {
        method: spec.method,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(input.body === undefined ? {} : { 'content-type': 'application/json' })
        },
        body: input.body === undefined ? undefined : JSON.stringify(input.body)
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
      throw new AppApiError('NetworkError', `Cannot reach COS Local at ${baseUrl} (${cause})`)
    }
    const payload: unknown = await response.json().catch(() => undefined)
    if (!response.ok) {
      const error = (payload as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
      if (typeof error?.code === 'string' && typeof error.message === 'string') {
        throw new AppApiError(error.code, error.message, response.status)
      }
      throw new AppApiError('HttpError', `HTTP ${response.status} ${response.statusText}`, response.status)
    }
    if (!options.validateResponses || !table) return payload
    const checked = table[name]!.response.safeParse(payload)
    if (!checked.success) {
      throw new AppApiError('InvalidResponse', `${name} answered outside its schema: ${checked.error.message}`)
    }
    return checked.data
  }

  const client: Record<string, unknown> = {
    call,
    pushUrl() {
      const url = new URL('/api/push', baseUrl)
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
      url.searchParams.set('token', options.token)
      return url.toString()
    }
  }
  for (const name of Object.keys(index)) {
    const dot = name.indexOf('.')
    if (dot <= 0) continue
    const group = (client[name.slice(0, dot)] ??= {}) as Record<string, unknown>
    group[name.slice(dot + 1)] = (input?: AnyInput) => call(name, input)
  }
  return client as ApiClient<T>
}

function indexOf(table: RouteTable): RouteIndex {
  const found: RouteIndex = {}
  for (const [name, spec] of Object.entries(table)) found[name] = { method: spec.method, path: spec.path }
  return found
}

/** Fills `:name` segments of a route's path (each encoded). */
function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params?.[name]
    if (value === undefined || value === '') throw new Error(`Path parameter "${name}" of ${path} is missing`)
    return encodeURIComponent(value)
  })
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return ''
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue
    search.set(name, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}
