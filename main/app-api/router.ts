/**
 * A tiny typed router for the app API (the UI's HTTP JSON API). Route modules register
 * handlers; the server turns return values into JSON and ApiError into
 * `{ error: { code, message } }` with its status.
 */
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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface ApiContext {
  /** Path parameters, decoded (`/api/functions/:name` → { name }). */
  params: Record<string, string>
  query: URLSearchParams
  /** Parsed JSON body (undefined when there is none). Validate it with the contract's schema. */
  body: unknown
  /** Aborted when the client goes away (for long polls). */
  signal: AbortSignal
}

export type RouteHandler = (ctx: ApiContext) => unknown

interface Route {
  method: HttpMethod
  parts: string[]
  handler: RouteHandler
}

export class Router {
  readonly #routes: Route[] = []

  add(method: HttpMethod, path: string, handler: RouteHandler): void {
    this.#routes.push({ method, parts: split(path), handler })
  }

  /** Find the handler for a request; `allowed` lists methods when only the path matched. */
  match(
    method: string,
    pathname: string
  ): { handler: RouteHandler; params: Record<string, string> } | { allowed: string[] } | undefined {
    const parts = split(pathname)
    const allowed: string[] = []
    for (const route of this.#routes) {
      const params = matchParts(route.parts, parts)
      if (!params) continue
      if (route.method === method) return { handler: route.handler, params }
      allowed.push(route.method)
    }
    return allowed.length > 0 ? { allowed } : undefined
  }
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
