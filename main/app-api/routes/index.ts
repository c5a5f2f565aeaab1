/** Registers every app-API route module on the router. */
import type { EventSystem } from '../../bus/event-system.ts'
import type { ObjectStore } from '../../store/object-store.ts'
import type { Router } from '../router.ts'

export interface RouteDeps {
  events: EventSystem
  store: ObjectStore
}

export function registerAppRoutes(router: Router, deps: RouteDeps): void {
  void router
  void deps
}
