/**
 * Everything the UI needs once the core answered /api/info: the COS client and the stores,
 * wired to the push channel. Components get it with `getSession()`.
 */
import { createContext } from 'svelte'
import type { ConnectionInfo } from '../../../preload/contract/connections.ts'
import type { AppInfo } from '../../../preload/contract/info.ts'
import { client } from './api.ts'
import type { PushMessage } from '../../../preload/contract/push.ts'
import { CosClient } from './cos/client.ts'
import { EmulatedClock } from './cos/emulated-clock.ts'
import { BucketsStore } from './stores/buckets.svelte.ts'
import { FunctionsStore } from './stores/functions.svelte.ts'
import { RunsStore } from './stores/runs.svelte.ts'
import { HistoryStore } from './stores/history.svelte.ts'
import { LogsStore } from './stores/logs.svelte.ts'
import { ObjectsStore } from './stores/objects.svelte.ts'
import { PushConnection } from './stores/push.svelte.ts'
import { TransfersStore } from './stores/transfers.svelte.ts'

export class Session {
  readonly cos: CosClient
  /** The emulator's clock (its speed and time), anchored on the COS endpoint's Date header. */
  readonly clock: EmulatedClock
  readonly buckets: BucketsStore
  readonly objects: ObjectsStore
  readonly transfers: TransfersStore
  readonly history = new HistoryStore()
  readonly logs = new LogsStore()
  readonly functions = new FunctionsStore()
  /** Every function's newest invocations (the Logs tab's list of runs). */
  readonly runs = new RunsStore()
  readonly push: PushConnection

  /**
   * `remote`: browse a saved connection instead of the embedded instance (signatures from the
   * app API; events, logs and functions stay the local instance's).
   */
  constructor(
    readonly info: AppInfo,
    readonly remote?: ConnectionInfo
  ) {
    const { secretId, secretKey } = info.credentials
    this.clock = new EmulatedClock(remote ? 1 : info.clockSpeed || 1)
    this.cos = remote
      ? new CosClient({
          endpoint: remote.endpoint,
          secretId: '',
          secretKey: '',
          defaultRegion: remote.region,
          sign: (body) => client().connections.sign({ params: { id: remote.id }, body })
        })
      : new CosClient({
          endpoint: info.cosEndpoint,
          secretId,
          secretKey,
          defaultRegion: info.region,
          clock: this.clock
        })
    this.buckets = new BucketsStore(this.cos)
    this.objects = new ObjectsStore(this.cos)
    this.transfers = new TransfersStore(this.cos, (bucket, key) => this.objects.invalidate(bucket, [key]))
    this.push = new PushConnection((message) => this.#dispatch(message))
  }

  start(): void {
    this.push.start()
    if (this.remote) void this.buckets.refresh()
    else
      void this.#syncClock().finally(() => {
        void this.buckets.refresh()
        // the Events tab's count from the start, not only once the tab is first opened
        void this.history.load()
      })
    addEventListener('pagehide', this.#flush)
  }

  /** Open a bucket (at a folder) in the object browser, and learn its versioning. */
  openBucket(bucket: string, prefix = ''): void {
    this.buckets.select(bucket)
    void this.objects.open(bucket, prefix)
    void this.buckets.loadVersioning(bucket)
  }

  stop(): void {
    this.push.stop()
    this.objects.dispose()
    removeEventListener('pagehide', this.#flush)
    this.transfers.flush()
  }

  readonly #flush = (): void => this.transfers.flush()

  /** Reads the emulated time from the COS endpoint's Date header (any answer carries one). */
  async #syncClock(): Promise<void> {
    try {
      const response = await fetch(this.info.cosEndpoint, { method: 'HEAD' })
      const date = Date.parse(response.headers.get('date') ?? '')
      if (Number.isFinite(date)) this.clock.anchor(date + 500)
    } catch {
      // The SDK corrects the skew itself on its first RequestTimeTooSkewed.
    }
  }

  #dispatch(message: PushMessage): void {
    if (message.type === 'objects-changed') {
      if (this.remote) return // the local instance's objects, not the browsed connection's
      this.objects.invalidate(message.bucket, message.keys)
      return
    }
    // Every stored change is consumed as an event, so a consumed event also invalidates.
    if (message.type === 'event-matched') {
      if (!this.remote) this.objects.invalidate(message.bucket, [message.key])
    } else if (message.type === 'history') this.history.receive(message.event)
    else if (message.type === 'log') this.logs.receive(message)
    else if (message.type === 'invocation') {
      this.functions.receive(message.invocation)
      this.runs.receive(message.invocation)
    }
  }
}

export const [getSession, setSession] = createContext<Session>()
