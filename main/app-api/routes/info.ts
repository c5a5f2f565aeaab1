import type { AppInfo } from '../../../preload/contract/info.ts'
import type { Router } from '../router.ts'

export function registerInfoRoutes(router: Router, info: () => AppInfo): void {
  router.add('GET', '/api/info', () => info())
}
