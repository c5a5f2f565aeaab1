/** App-API handler: what the UI shows so a developer can point an SDK at the emulator. */
import type { AppInfo } from '../../../preload/contract/info.ts'
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'

export function infoHandlers(info: () => AppInfo): GroupHandlers<AppRoutes, 'info'> {
  return { 'info.get': () => info() }
}
