/** The bucket list (GET Service) and which bucket is open. */
import type { BucketEntry, CosClient } from '../cos-client.ts'
import { describeError } from '../cos/cos-error.ts'

export class BucketsStore {
  list = $state<BucketEntry[]>([])
  loading = $state(false)
  error = $state('')
  selected = $state('')

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
    }
  }

  /** PUT Bucket, then refresh; throws the COS error for the dialog to show. */
  async create(name: string): Promise<void> {
    await this.cos.createBucket(name)
    await this.refresh()
  }

  select(name: string): void {
    this.selected = name
  }
}

/** A bucket name as COS wants it: `<name>-<appid>`; adds the APPID when the name lacks it. */
export function fullBucketName(input: string, appid: string): string {
  const name = input.trim()
  return /-\d+$/.test(name) || !name ? name : `${name}-${appid}`
}
