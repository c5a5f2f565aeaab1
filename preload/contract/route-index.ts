/**
 * Method and path of every app-API route, by name: the plain data the client needs at run time.
 * The renderer's build replaces this module with its value (electron.vite.config.ts), so the UI
 * bundle carries no schema code; everywhere else it is computed from the table.
 */
import type { HttpMethod } from './route.ts'
import { routes } from './routes.ts'

export type RouteIndex = Record<string, { method: HttpMethod; path: string }>

export const routeIndex: RouteIndex = Object.fromEntries(
  Object.entries(routes).map(([name, spec]) => [name, { method: spec.method, path: spec.path }])
)
