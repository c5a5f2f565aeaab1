/**
 * Uploads: each file becomes a task in the SDK's task list (cos-js-sdk-v5 runs a few at a time,
 * slices big files, retries parts) when its turn nears; until then it waits in this store.
 * This store mirrors each task's state for the UI (progress, speed, ETA, COS's error), offers
 * pause / resume / cancel / retry, remembers unfinished uploads across a reload (the SDK finds
 * the parts already stored when the same file is chosen again), and applies the upload options
 * (storage class, metadata, skip existing).
 */
import { untrack } from 'svelte'
import type { CosClient, CosRequestError } from '../cos/client.ts'

export type TransferStatus =
  | 'queued'
  | 'uploading'
  | 'paused'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'skipped'
  /** Left unfinished by a reload: waits for its file to be chosen again. */
  | 'interrupted'

export interface Transfer {
  id: number
  bucket: string
  key: string
  name: string
  size: number
  lastModified: number
  loaded: number
  /** Bytes per second, from the SDK's progress reports. */
  speed: number
  status: TransferStatus
  error: string
  taskId: string
  storageClass: string
}

/** A file to upload and the key it goes to. */
export interface UploadItem {
  file: File
  key: string
}

export interface UploadOptions {
  storageClass: string
  /** x-cos-meta-* names (without the prefix) and values. */
  meta: Record<string, string>
  /** What to do when the key exists already. */
  existing: 'overwrite' | 'skip'
}

const MAX_KEPT = 5000
const STORAGE_KEY = 'cos-local.transfers'
const CONCURRENCY_KEY = 'cos-local.upload-concurrency'
/** Files queued per frame, so queuing thousands never blocks the page. */
const ENQUEUE_BATCH = 200
/**
 * Tasks handed to the SDK beyond the ones it runs (so the next one starts at once). The rest
 * wait here: creating an SDK task costs about a millisecond, so a drop of 1,000 files made
 * 1,000 of them in a burst (frames of 300+ ms).
 */
const LOOKAHEAD = 2

const ACTIVE: ReadonlySet<TransferStatus> = new Set(['queued', 'uploading', 'paused'])

interface Saved {
  bucket: string
  key: string
  name: string
  size: number
  lastModified: number
  storageClass: string
}

export class TransfersStore {
  items = $state<Transfer[]>([])
  /**
   * Bumped at most once per animation frame after any change to the transfers. The counts and
   * totals depend on it alone and read the items untracked: tracked, they depended on every
   * item's status, size, loaded and speed (5,000 signals for a drop of 1,000 files), and every
   * progress report re-checked and recounted them all (frames over 50 ms while uploading).
   */
  #revision = $state(0)
  #revisionFrame = 0
  /** How many transfers are in each state, counted in one pass. */
  #counts = $derived.by(() => {
    void this.#revision
    return untrack(() => {
      const counts = { active: 0, failed: 0, interrupted: 0, paused: 0, finished: 0 }
      for (const { status } of this.items) {
        if (ACTIVE.has(status)) counts.active++
        else if (status === 'failed' || status === 'interrupted') counts[status]++
        else counts.finished++
        if (status === 'paused') counts.paused++
      }
      return counts
    })
  })
  /** Totals over the unfinished transfers: bytes, bytes done, speed, seconds left. */
  #totals = $derived.by(() => {
    void this.#revision
    return untrack(() => {
      let size = 0
      let loaded = 0
      let speed = 0
      for (const item of this.items) {
        if (!ACTIVE.has(item.status)) continue
        size += item.size
        loaded += item.loaded
        if (item.status === 'uploading') speed += item.speed
      }
      return { size, loaded, speed, eta: speed > 0 ? (size - loaded) / speed : Number.POSITIVE_INFINITY }
    })
  })
  active = $derived(this.#counts.active)
  failed = $derived(this.#counts.failed)
  interrupted = $derived(this.#counts.interrupted)
  paused = $derived(this.#counts.paused)
  /** Done, skipped or cancelled: what Clear finished removes. */
  finished = $derived(this.#counts.finished)
  concurrency = $state(3)
  options = $state<UploadOptions>({ storageClass: '', meta: {}, existing: 'overwrite' })

  #nextId = 1
  #saveTimer: ReturnType<typeof setTimeout> | undefined
  // The File objects behind each transfer: plumbing, not UI state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #files = new Map<number, File>()
  /** Queued transfers not yet handed to the SDK, in order, with their upload options. */
  #waiting: { item: Transfer; options: UploadOptions }[] = []
  /** Ids of the transfers the SDK holds and has not finished (queued there or uploading). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- plumbing, not UI state
  readonly #inSdk = new Set<number>()

  constructor(
    private readonly cos: CosClient,
    /** Called after each finished upload (the listing may need a refetch). */
    private readonly onUploaded: (bucket: string, key: string) => void = () => {}
  ) {
    const stored = Number(globalThis.localStorage?.getItem(CONCURRENCY_KEY))
    if (stored >= 1 && stored <= 10) this.concurrency = stored
    this.cos.setConcurrency(this.concurrency)
    this.#restore()
  }

  /** Totals over the unfinished transfers: bytes, bytes done, speed, seconds left. */
  get totals(): { size: number; loaded: number; speed: number; eta: number } {
    return this.#totals
  }

  /** The counts and totals are recounted in the next frame (a hidden page: within 100 ms). */
  #changed(): void {
    if (this.#revisionFrame) return
    const bump = (): void => {
      cancelAnimationFrame(this.#revisionFrame)
      clearTimeout(timer)
      this.#revisionFrame = 0
      this.#revision++
    }
    this.#revisionFrame = requestAnimationFrame(bump)
    const timer = setTimeout(bump, 100)
  }

  setConcurrency(value: number): void {
    this.concurrency = Math.min(10, Math.max(1, Math.round(value) || 1))
    this.cos.setConcurrency(this.concurrency)
    globalThis.localStorage?.setItem(CONCURRENCY_KEY, String(this.concurrency))
    this.#pump()
  }

  /** Queues files for upload into `bucket`, a batch per frame. Resolves once all are queued. */
  async enqueue(bucket: string, uploads: UploadItem[]): Promise<void> {
    const options = $state.snapshot(this.options)
    // A file chosen again for an interrupted upload of the same key and size resumes that entry.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup table
    const interrupted = new Map<string, Transfer>()
    const sameUpload = (key: string, size: number): string => `${size}:${key}`
    if (this.interrupted > 0)
      for (const item of this.items)
        if (item.status === 'interrupted' && item.bucket === bucket)
          interrupted.set(sameUpload(item.key, item.size), item)
    for (let start = 0; start < uploads.length; start += ENQUEUE_BATCH) {
      if (start > 0) await new Promise((resolve) => setTimeout(resolve, 0))
      const batch: Transfer[] = []
      for (const { file, key } of uploads.slice(start, start + ENQUEUE_BATCH)) {
        const found = interrupted.get(sameUpload(key, file.size))
        interrupted.delete(sameUpload(key, file.size))
        const resumed = found?.status === 'interrupted' ? found : undefined
        const id = resumed?.id ?? this.#nextId++
        this.#files.set(id, file)
        if (resumed) {
          resumed.status = 'queued'
          this.#waiting.push({ item: resumed, options })
          continue
        }
        batch.push({
          id,
          bucket,
          key,
          name: file.name,
          size: file.size,
          lastModified: file.lastModified,
          loaded: 0,
          speed: 0,
          status: 'queued',
          error: '',
          taskId: '',
          storageClass: options.storageClass
        })
      }
      if (batch.length > 0) {
        this.items.push(...batch)
        // The state's own (proxied) items, so status changes reach the UI.
        for (const item of this.items.slice(this.items.length - batch.length)) this.#waiting.push({ item, options })
      }
      this.#changed()
      this.#pump()
    }
    this.#trim()
    this.#save()
  }

  /** Hands waiting transfers to the SDK while it holds fewer than it runs plus LOOKAHEAD. */
  #pump(): void {
    while (this.#inSdk.size < this.concurrency + LOOKAHEAD) {
      const next = this.#waiting.shift()
      if (!next) return
      const { item, options } = next
      // Paused or cancelled while waiting, or already in the SDK.
      if (item.status !== 'queued' || item.taskId || this.#inSdk.has(item.id)) continue
      this.#inSdk.add(item.id)
      void this.#start(item, options)
    }
  }

  /** The SDK no longer holds this transfer (finished, paused, cancelled): start the next. */
  #release(id: number): void {
    if (this.#inSdk.delete(id)) this.#pump()
  }

  async #start(item: Transfer, options: UploadOptions): Promise<void> {
    const file = this.#files.get(item.id)
    if (!file) return this.#release(item.id)
    if (options.existing === 'skip') {
      const exists = await this.cos.headObject(item.bucket, item.key).then(
        () => true,
        () => false
      )
      if (item.status !== 'queued') return this.#release(item.id)
      if (exists) {
        item.status = 'skipped'
        this.#changed()
        this.#files.delete(item.id)
        this.#save()
        return this.#release(item.id)
      }
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(options.meta)) headers[`x-cos-meta-${name}`] = value
    item.taskId = this.cos.startUpload(
      {
        bucket: item.bucket,
        key: item.key,
        file,
        storageClass: item.storageClass,
        contentType: file.type,
        headers,
        onProgress: (info) => {
          if (item.status === 'queued') item.status = 'uploading'
          item.loaded = info.loaded
          item.speed = info.speed
          this.#changed()
        }
      },
      (error) => this.#finished(item, error)
    )
  }

  #finished(item: Transfer, error: CosRequestError | undefined): void {
    this.#release(item.id)
    if (item.status === 'cancelled' || item.status === 'paused') return
    if (error) {
      item.status = 'failed'
      item.error = error.requestId ? `${error.message} (RequestId ${error.requestId})` : error.message
    } else {
      item.status = 'done'
      item.loaded = item.size
      item.error = ''
      this.#files.delete(item.id)
      this.onUploaded(item.bucket, item.key)
    }
    item.speed = 0
    this.#changed()
    this.#save()
  }

  pause(id: number): void {
    const item = this.#find(id)
    if (!item || (item.status !== 'queued' && item.status !== 'uploading')) return
    item.status = 'paused'
    item.speed = 0
    this.#changed()
    if (item.taskId) this.cos.pauseTask(item.taskId)
    this.#release(id)
  }

  /** Back to the SDK (a task it made before) or to the waiting line (one it never had). */
  #requeue(item: Transfer): void {
    item.status = 'queued'
    this.#changed()
    if (item.taskId) {
      this.#inSdk.add(item.id)
      this.cos.restartTask(item.taskId)
    } else {
      this.#waiting.push({ item, options: $state.snapshot(this.options) })
      this.#pump()
    }
  }

  resume(id: number): void {
    const item = this.#find(id)
    if (!item || item.status !== 'paused') return
    this.#requeue(item)
  }

  /** Runs a failed upload again (a slice upload continues from its stored parts). */
  retry(id: number): void {
    const item = this.#find(id)
    if (!item || item.status !== 'failed') return
    item.error = ''
    this.#requeue(item)
  }

  retryAll(): void {
    for (const item of this.items) if (item.status === 'failed') this.retry(item.id)
  }

  cancel(id: number): void {
    const item = this.#find(id)
    if (!item || !(ACTIVE.has(item.status) || item.status === 'interrupted')) return
    item.status = 'cancelled'
    item.speed = 0
    this.#changed()
    if (item.taskId) this.cos.cancelTask(item.taskId)
    this.#files.delete(id)
    this.#release(id)
    this.#save()
  }

  pauseAll(): void {
    for (const item of this.items) if (item.status === 'queued' || item.status === 'uploading') this.pause(item.id)
  }

  resumeAll(): void {
    for (const item of this.items) if (item.status === 'paused') this.resume(item.id)
  }

  clearFinished(): void {
    this.items = this.items.filter((item) => ACTIVE.has(item.status) || item.status === 'interrupted')
    this.#changed()
    this.#save()
  }

  #find(id: number): Transfer | undefined {
    return this.items.find((item) => item.id === id)
  }

  #trim(): void {
    if (this.items.length <= MAX_KEPT) return
    const finished = this.items.filter((item) => item.status === 'done' || item.status === 'skipped')
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup table
    const drop = new Set(finished.slice(0, this.items.length - MAX_KEPT).map((item) => item.id))
    this.items = this.items.filter((item) => !drop.has(item.id))
    this.#changed()
  }

  /** Unfinished uploads go to localStorage (debounced), so a reload can offer to resume them. */
  #save(): void {
    clearTimeout(this.#saveTimer)
    this.#saveTimer = setTimeout(() => this.#write(), 300)
  }

  #write(): void {
    this.#saveTimer = undefined
    {
      const saved: Saved[] = this.items
        .filter((item) => ACTIVE.has(item.status) || item.status === 'failed' || item.status === 'interrupted')
        .map(({ bucket, key, name, size, lastModified, storageClass }) => ({
          bucket,
          key,
          name,
          size,
          lastModified,
          storageClass
        }))
      try {
        if (saved.length) globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(saved))
        else globalThis.localStorage?.removeItem(STORAGE_KEY)
      } catch {
        // Storage full or disabled: resuming after a reload is a convenience.
      }
    }
  }

  #restore(): void {
    let saved: Saved[]
    try {
      saved = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '[]') as Saved[]
    } catch {
      return
    }
    if (!Array.isArray(saved)) return
    this.items = saved.map((entry) => ({
      id: this.#nextId++,
      bucket: String(entry.bucket),
      key: String(entry.key),
      name: String(entry.name),
      size: Number(entry.size) || 0,
      lastModified: Number(entry.lastModified) || 0,
      loaded: 0,
      speed: 0,
      status: 'interrupted',
      error: '',
      taskId: '',
      storageClass: String(entry.storageClass ?? '')
    }))
  }

  /** Pending saves are written now (the page is about to unload). */
  flush(): void {
    if (this.#saveTimer === undefined) return
    clearTimeout(this.#saveTimer)
    this.#write()
  }
}
