/** App-API routes: import serverless.yml / template.yaml, export serverless.yml. */
import { ImportRequestSchema, type ExportResponse, type ImportResponse } from '../../../preload/contract/functions.ts'
import type { EventSystem } from '../../bus/event-system.ts'
import type { Router } from '../router.ts'
import { parseBody } from './validate.ts'

export function registerImportExportRoutes(router: Router, events: EventSystem): void {
  router.add('POST', '/api/import', ({ body }): ImportResponse =>
    events.importConfig(parseBody(ImportRequestSchema, body))
  )
  router.add('GET', '/api/export', (): ExportResponse => ({
    format: 'serverless.yml',
    text: events.exportServerlessYml()
  }))
}
