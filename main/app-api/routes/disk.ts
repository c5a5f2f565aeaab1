/** App-API handler: upload files and folders from this machine's disk (desktop drops, native pickers). */
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { CosTarget } from '../../disk/cos-http.ts'
import { uploadFromDisk } from '../../disk/upload-paths.ts'

export function diskHandlers(cos: () => CosTarget): GroupHandlers<AppRoutes, 'disk'> {
  return { 'disk.upload': ({ body }) => uploadFromDisk(cos(), body) }
}
