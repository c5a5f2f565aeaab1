/** App-API handlers: import serverless.yml / template.yaml, export serverless.yml. */
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { EventSystem } from '../services.ts'

export function configHandlers(events: EventSystem): GroupHandlers<AppRoutes, 'config'> {
  return {
    'config.import': ({ body }) => events.importConfig(body),
    'config.export': () => ({ format: 'serverless.yml', text: events.exportServerlessYml() })
  }
}
