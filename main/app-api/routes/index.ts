/** Binds a handler to every route of the contract's table (a missing one is a type error). */
import type { AppInfo } from '../../../preload/contract/info.ts'
import type { Handlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { EventSystem } from '../services.ts'
import type { StorageService } from '../../storage/create-storage.ts'
import type { CosTarget } from '../../disk/cos-http.ts'
import { diskHandlers } from './disk.ts'
import { functionHandlers } from './functions.ts'
import { historyHandlers } from './history.ts'
import { configHandlers } from './import-export.ts'
import { infoHandlers } from './info.ts'
import { invocationHandlers } from './invocations.ts'
import { connectionHandlers } from './connections.ts'
import { snapshotHandlers } from './snapshot.ts'
import type { ConnectionStore } from '../../connections/connection-store.ts'
import { triggerHandlers } from './triggers.ts'
import type { SnapshotDeps } from '../../snapshot/snapshot-deps.ts'

export interface RouteDeps {
  events: EventSystem
  store: StorageService
  info: () => AppInfo
  /** The core's own COS endpoint (and keys when signatures are verified), for uploads from disk. */
  cos: () => CosTarget
  snapshot: SnapshotDeps
  connections: ConnectionStore
}

export function appHandlers(deps: RouteDeps): Handlers<AppRoutes> {
  return {
    ...infoHandlers(deps.info),
    ...functionHandlers(deps.events),
    ...triggerHandlers(deps.events),
    ...invocationHandlers(deps.events),
    ...historyHandlers(deps.events),
    ...configHandlers(deps.events),
    ...diskHandlers(deps.cos),
    ...snapshotHandlers(deps.snapshot),
    ...connectionHandlers(deps.connections)
  }
}
