/** Registers every app-API route module on the router. */
import type { EventSystem } from '../../bus/event-system.ts'
import type { StorageService } from '../../storage/create-storage.ts'
import type { Router } from '../router.ts'
import { registerFunctionRoutes } from './functions.ts'
import { registerImportExportRoutes } from './import-export.ts'
import { registerInvocationRoutes } from './invocations.ts'
import { registerTriggerRoutes } from './triggers.ts'

export interface RouteDeps {
  events: EventSystem
  store: StorageService
}

export function registerAppRoutes(router: Router, deps: RouteDeps): void {
  registerFunctionRoutes(router, deps.events)
  registerTriggerRoutes(router, deps.events)
  registerInvocationRoutes(router, deps.events)
  registerImportExportRoutes(router, deps.events)
}
