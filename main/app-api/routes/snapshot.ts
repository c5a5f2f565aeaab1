/** App-API handlers: snapshot save/load and seeding a bucket from a folder. */
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { SnapshotResult } from '../../../preload/contract/snapshot.ts'
import type { SnapshotManifest } from '../../core/snapshot/format.ts'
import { seedFolder } from '../../snapshot/seed-folder.ts'
import type { SnapshotDeps } from '../../snapshot/snapshot-deps.ts'
import { loadSnapshot } from '../../snapshot/snapshot-load.ts'
import { saveSnapshot } from '../../snapshot/snapshot-save.ts'

const result = (file: string, manifest: SnapshotManifest): SnapshotResult => ({
  file,
  formatVersion: manifest.formatVersion,
  counts: manifest.counts
})

export function snapshotHandlers(deps: SnapshotDeps): GroupHandlers<AppRoutes, 'snapshot' | 'seed'> {
  return {
    'snapshot.save': async ({ body }) => result(body.file, await saveSnapshot(deps, body.file)),
    'snapshot.load': async ({ body }) => {
      const loaded = await loadSnapshot(deps, body.file)
      return result(loaded.file, loaded.manifest)
    },
    'seed.run': async ({ body }) => {
      const seeded = await seedFolder(deps.storage, body)
      return { uploaded: seeded.uploaded.length, skipped: seeded.skipped.length }
    }
  }
}
