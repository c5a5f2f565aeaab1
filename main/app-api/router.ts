/**
 * Registers the app API's routes from the contract's route table (preload/contract/routes.ts):
 * matches method and path, validates path parameters, query and body with the route's schemas
 * (strict: reject, never coerce), calls the handler bound to the route's name and, when asked
 * (tests, development), checks the answer against the route's response schema.
 * The server turns ApiError into `{ error: { code, message } }` with its status.
 */
import type { z } from 'zod'
import type { Handlers, HttpMethod, RouteSpec, RouteTable } from '../../preload/contract/route.ts'

export class ApiError extends Error {
  readonly code: string
  readonly status: number

  constructor(code: string, message: string, status = 400) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }
}

export interface RouterOptions {
  /** Check every answer against its response schema (a mismatch answers 500 InvalidResponse). */
  checkResponses?: boolean
}

export interface RouteRequest {
  method: string
  url: URL
  /** Reads the JSON body (undefined when there is none); called only once a route matched. */
  readBody(): Promise<unknown>
  signal: AbortSignal
}

interface Registered {
  name: string
  spec: RouteSpec
  parts: string[]
}

type AnyHandler = (input: {
  params: Record<string, string>
  query: unknown
  body: unknown
  signal: AbortSignal
}) => unknown

/** Query parameters that belong to the transport, not to any route. */
const TRANSPORT_QUERY = new Set(['token'])

export class Router<T extends RouteTable = RouteTable> {
  readonly #routes: Registered[]
  readonly #checkResponses: boolean
  #handlers: Record<string, AnyHandler> | undefined

  constructor(table: T, options: RouterOptions = {}) {
    this.#routes = Object.entries(table).map(([name, spec]) => ({ name, spec, parts: split(spec.path) }))
    this.#checkResponses = options.checkResponses ?? false
  }

  /** Binds one handler per route name (until then every route answers 503 NotReady). */
  use(handlers: Handlers<T>): void {
    this.#handlers = handlers as unknown as Record<string, AnyHandler>
  }

  async handle(request: RouteRequest): Promise<unknown> {
    const { route, params } = this.#match(request.method, request.url.pathname)
    const handler = this.#handlers?.[route.name]
    if (!handler) throw new ApiError('NotReady', 'COS Local is still starting', 503)
    const query = parse(route.spec.query, queryObject(request.url.searchParams), 'query')
    const rawBody = await request.readBody()
    if (!route.spec.body && rawBody !== undefined) {
      throw new ApiError('InvalidRequest', `${route.spec.method} ${route.spec.path} takes no body`, 400)
    }
    const body = route.spec.body ? parse(route.spec.body, rawBody ?? {}, 'body') : undefined
    const result = await handler({ params, query, body, signal: request.signal })
    if (this.#checkResponses) {
      const checked = route.spec.response.safeParse(result)
      if (!checked.success) {
        throw new ApiError(
          'InvalidResponse',
          `${route.name} answered outside its response schema: ${describeIssues(checked.error, 'response')}`,
          500
        )
      }
    }
    return result
  }

  #match(method: string, pathname: string): { route: Registered; params: Record<string, string> } {
    const parts = split(pathname)
    const allowed: HttpMethod[] = []
    for (const route of this.#routes) {
      const params = matchParts(route.parts, parts)
      if (!params) continue
      if (route.spec.method === method) return { route, params }
      allowed.push(route.spec.method)
    }
    if (allowed.length > 0) {
      throw new ApiError('MethodNotAllowed', `${method} not allowed; use ${allowed.join(', ')}`, 405)
    }
    throw new ApiError('NotFound', `No API route ${method} ${pathname}`, 404)
  }
}

function parse(schema: z.ZodType | undefined, value: Record<string, string> | unknown, where: string): unknown {
  if (!schema) {
    const names = Object.keys(value as Record<string, string>)
    if (names.length > 0) throw new ApiError('InvalidRequest', `Unknown ${where} parameter: ${names.join(', ')}`, 400)
    return {}
  }
  const result = schema.safeParse(value)
  if (!result.success) throw new ApiError('InvalidRequest', describeIssues(result.error, where), 400)
  return result.data
}

function queryObject(search: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [name, value] of search) {
    if (TRANSPORT_QUERY.has(name)) continue
    if (name in query) throw new ApiError('InvalidRequest', `Query parameter ${name} is given twice`, 400)
    query[name] = value
  }
  return query
}

function describeIssues(error: z.ZodError, where: string): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : where}: ${issue.message}`).join('; ')
}

function split(path: string): string[] {
  return path.split('/').filter((part) => part.length > 0)
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!
    const got = parts[i]!
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got)
      } catch {
        return undefined
      }
    } else if (want !== got) return undefined
  }
  return params
}
