/** What snapshot save/load and seed work on: storage, the functions service and the data folder. */
import type { FunctionsService } from '../functions/functions-service.ts'
import type { StorageService } from '../storage/create-storage.ts'

export interface SnapshotDeps {
  storage: StorageService
  functions: Pick<FunctionsService, 'functions' | 'triggers'>
  dataDir: string
  appid: string
  region: string
  /** The package version, recorded in the manifest. */
  version: string
}
