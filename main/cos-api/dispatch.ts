/**
 * Finds the row of the route table (routes.ts) that answers a request: the level of its
 * target, the sub-resource its query names, its method, and a header a row may need
 * (x-cos-copy-source turns PUT Object into PUT Object - Copy). A row with a header condition
 * wins over the row without one when the header is present.
 */
import { CosError } from '../core/cos/errors.ts'
import type { Exchange } from './exchange.ts'
import type { Handler } from './handler.ts'
import { subresourcesOf } from './query-subresources.ts'
import type { Target } from './resolve-target.ts'
import { ROUTES, UNROUTED_NOT_IMPLEMENTED, type Level, type Resource, type Route } from './routes.ts'

/** What choosing a route looks at. */
export interface RouteRequest {
  method: string
  level: Level
  query: URLSearchParams
  /** A header in its x-cos- or x-amz- form, named without the prefix. */
  cosHeader(name: string): string | undefined
}

/** The rows of each resource, those with a header condition first. */
const BY_RESOURCE: ReadonlyMap<Resource, readonly Route[]> = indexRoutes(ROUTES)

function indexRoutes(routes: readonly Route[]): Map<Resource, Route[]> {
  const index = new Map<Resource, Route[]>()
  for (const row of routes) {
    const rows = index.get(row.resource) ?? []
    rows.push(row)
    index.set(row.resource, rows)
  }
  for (const rows of index.values()) {
    rows.sort((a, b) => Number(a.header === undefined) - Number(b.header === undefined))
  }
  return index
}

const NONE: readonly string[] = []
const NO_ROUTES: readonly Route[] = []

export function levelOf(target: Target): Level {
  if (target.bucket === '') return 'service'
  return target.key === '' ? 'bucket' : 'object'
}

function resourceOf(level: Level, subresource: string): Resource {
  return subresource === '' ? level : `${level}?${subresource}`
}

/**
 * The row that answers the request, or the COS error it gets: 501 NotImplemented for a
 * sub-resource COS Local does not serve at that level, 405 MethodNotAllowed (or 501, see
 * UNROUTED_NOT_IMPLEMENTED) for a method the resource has no row for.
 */
export function findRoute(request: RouteRequest): Route {
  const { method, level } = request
  const named = request.query.size === 0 ? NONE : subresourcesOf(request.query)
  const unserved = named.find((name) => !BY_RESOURCE.has(resourceOf(level, name)))
  if (unserved !== undefined) throw notImplemented(method, level, unserved)
  const subresource = named[0] ?? ''
  const resource = resourceOf(level, subresource)
  const rows = BY_RESOURCE.get(resource) ?? NO_ROUTES
  for (const row of rows) {
    if (row.method === method && (row.header === undefined || request.cosHeader(row.header) !== undefined)) return row
  }
  const unrouted = UNROUTED_NOT_IMPLEMENTED.some(
    (entry) => entry.resource === resource && (entry.method === undefined || entry.method === method)
  )
  if (unrouted || rows.length === 0) throw notImplemented(method, level, subresource)
  throw new CosError('MethodNotAllowed', `The method ${method} is not allowed against ${describe(level, subresource)}.`)
}

export function chooseHandler(ex: Exchange): Handler {
  return findRoute({ method: ex.method, level: levelOf(ex.target), query: ex.query, cosHeader: ex.cosHeader }).handler
}

function notImplemented(method: string, level: Level, subresource: string): CosError {
  return new CosError(
    'NotImplemented',
    `The ${method} operation on ${describe(level, subresource)} is not implemented by COS Local.`
  )
}

const LEVELS: Record<Level, string> = { service: 'the service', bucket: 'a bucket', object: 'an object' }

function describe(level: Level, subresource: string): string {
  return subresource === '' ? LEVELS[level] : `?${subresource} of ${LEVELS[level]}`
}
