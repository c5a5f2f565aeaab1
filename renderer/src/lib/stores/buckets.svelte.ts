/** The bucket list (GET Service), which bucket is open, and per-bucket facts (versioning, stats). */
import type { BucketEntry, CosClient, VersioningStatus } from '../cos/client.ts'
import { describeError } from '../cos/cos-error.ts'

export { fullBucketName } from '../cos/bucket-name.ts'

export interface BucketStats {
  objects: number
  bytes: number
  /** True while counting (the listing is walked page by page). */
  counting: boolean
}

export class BucketsStore {
  list = $state<BucketEntry[]>([])
  loading = $state(false)
  /** Whether the list was asked for once (an empty list then means no buckets). */
  loaded = $state(false)
  error = $state('')
  selected = $state('')
  /** Versioning status per bucket, fetched when a bucket is opened. */
  versioning = $state<Record<string, VersioningStatus>>({})

  constructor(private readonly cos: CosClient) {}

  async refresh(): Promise<void> {
    this.loading = true
    try {
      this.list = await this.cos.listBuckets()
      this.error = ''
    } catch (error) {
      this.error = describeError(error)
    } finally {
      this.loading = false
      this.loaded = true
    }
  }

  /** PUT Bucket, then refresh; throws the COS error for the dialog to show. */
  async create(name: string, region?: string): Promise<void> {
    await this.cos.createBucket(name, region)
    await this.refresh()
  }

  /** DELETE Bucket, optionally emptying it first (every version and unfinished upload). */
  async remove(name: string, empty: boolean, onProgress?: (deleted: number) => void): Promise<void> {
    if (empty) {
      let deleted = 0
      let keyMarker: string | undefined
      let versionIdMarker: string | undefined
      do {
        const page = await this.cos.listVersions(name, { keyMarker, versionIdMarker })
        const outcome = await this.cos.deleteObjects(
          name,
          page.versions.map((version) => ({ key: version.key, versionId: version.versionId }))
        )
        if (outcome.errors.length > 0) {
          const first = outcome.errors[0]!
          throw new Error(`${first.code}: ${first.message} (${first.key})`)
        }
        deleted += outcome.deleted.length
        onProgress?.(deleted)
        keyMarker = page.nextKeyMarker
        versionIdMarker = page.nextVersionIdMarker
      } while (keyMarker !== undefined)
      await this.cos.abortMultipartUploads(name)
    }
    await this.cos.deleteBucket(name)
    if (this.selected === name) this.selected = ''
    await this.refresh()
  }

  async loadVersioning(name: string): Promise<VersioningStatus> {
    try {
      const status = await this.cos.getVersioning(name)
      this.versioning[name] = status
      return status
    } catch {
      return this.versioning[name] ?? ''
    }
  }

  async setVersioning(name: string, status: 'Enabled' | 'Suspended'): Promise<void> {
    await this.cos.setVersioning(name, status)
    this.versioning[name] = status
  }

  /** Objects and bytes in a bucket (current versions), counted by walking the listing. */
  async stats(name: string, onUpdate: (stats: BucketStats) => void): Promise<BucketStats> {
    const stats: BucketStats = { objects: 0, bytes: 0, counting: true }
    let marker: string | undefined
    do {
      const page = await this.cos.listObjects(name, { marker })
      for (const file of page.files) {
        stats.objects++
        stats.bytes += file.size
      }
      marker = page.nextMarker
      onUpdate({ ...stats })
    } while (marker !== undefined)
    stats.counting = false
    onUpdate({ ...stats })
    return stats
  }

  select(name: string): void {
    this.selected = name
  }
}
