/**
 * Uploads in flight and done: a queue run a few at a time, each with progress, an error
 * message when it fails, and a cancel button.
 */
import type { CosClient } from '../cos-client.ts'
import { describeError } from '../cos/cos-error.ts'

export type TransferStatus = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled'

export interface Transfer {
  id: number
  bucket: string
  key: string
  size: number
  loaded: number
  status: TransferStatus
  error: string
}

/** A file to upload and the key it goes to. */
export interface UploadItem {
  file: File
  key: string
}

const PARALLEL_UPLOADS = 3
const MAX_KEPT = 2000

export class TransfersStore {
  items = $state<Transfer[]>([])
  active = $derived(this.items.filter((item) => item.status === 'queued' || item.status === 'uploading').length)
  failed = $derived(this.items.filter((item) => item.status === 'failed').length)

  #nextId = 1
  #running = 0
  // The File objects and abort controllers behind each transfer: plumbing, not UI state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #files = new Map<number, File>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #controllers = new Map<number, AbortController>()

  constructor(
    private readonly cos: CosClient,
    /** Called after each finished upload (the listing may need a refetch). */
    private readonly onUploaded: (bucket: string, key: string) => void = () => {}
  ) {}

  /** Queues files for upload into `bucket`. */
  enqueue(bucket: string, uploads: UploadItem[]): void {
    for (const { file, key } of uploads) {
      const id = this.#nextId++
      this.#files.set(id, file)
      this.items.push({ id, bucket, key, size: file.size, loaded: 0, status: 'queued', error: '' })
    }
    this.#trim()
    this.#pump()
  }

  cancel(id: number): void {
    const item = this.items.find((entry) => entry.id === id)
    if (item?.status === 'queued') {
      item.status = 'cancelled'
      this.#files.delete(id)
    }
    this.#controllers.get(id)?.abort()
  }

  clearFinished(): void {
    this.items = this.items.filter((item) => item.status === 'queued' || item.status === 'uploading')
  }

  #trim(): void {
    if (this.items.length <= MAX_KEPT) return
    const finished = this.items.filter((item) => item.status === 'done')
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup table
    const drop = new Set(finished.slice(0, this.items.length - MAX_KEPT).map((item) => item.id))
    this.items = this.items.filter((item) => !drop.has(item.id))
  }

  #pump(): void {
    while (this.#running < PARALLEL_UPLOADS) {
      const next = this.items.find((item) => item.status === 'queued')
      if (!next) return
      this.#running++
      void this.#run(next).finally(() => {
        this.#running--
        this.#pump()
      })
    }
  }

  async #run(item: Transfer): Promise<void> {
    const file = this.#files.get(item.id)
    if (!file) return
    const controller = new AbortController()
    this.#controllers.set(item.id, controller)
    item.status = 'uploading'
    try {
      await this.cos.upload(item.bucket, item.key, file, {
        contentType: file.type || undefined,
        signal: controller.signal,
        onProgress: (loaded) => (item.loaded = loaded)
      })
      item.status = 'done'
      this.onUploaded(item.bucket, item.key)
    } catch (error) {
      item.status = controller.signal.aborted ? 'cancelled' : 'failed'
      item.error = controller.signal.aborted ? '' : describeError(error)
    } finally {
      this.#controllers.delete(item.id)
      this.#files.delete(item.id)
    }
  }
}
