/**
 * Everything the UI needs once the core answered /api/info: the COS client and the stores,
 * wired to the push channel. Components get it with `getSession()`.
 */
import { createContext } from 'svelte'
import type { AppInfo } from '../../../preload/contract/info.ts'
import type { PushMessage } from '../../../preload/contract/push.ts'
import { CosClient } from './cos-client.ts'
import { qSigner } from './cos/q-sign.ts'
import { BucketsStore } from './stores/buckets.svelte.ts'
import { EventsStore } from './stores/events.svelte.ts'
import { FunctionsStore } from './stores/functions.svelte.ts'
import { LogsStore } from './stores/logs.svelte.ts'
import { ObjectsStore } from './stores/objects.svelte.ts'
import { PushConnection } from './stores/push.svelte.ts'
import { TransfersStore } from './stores/transfers.svelte.ts'

export class Session {
  readonly cos: CosClient
  readonly buckets: BucketsStore
  readonly objects: ObjectsStore
  readonly transfers: TransfersStore
  readonly events = new EventsStore()
  readonly logs = new LogsStore()
  readonly functions = new FunctionsStore()
  readonly push: PushConnection

  constructor(readonly info: AppInfo) {
    const { secretId, secretKey } = info.credentials
    this.cos = new CosClient(info.cosEndpoint, info.verifySignatures ? qSigner(secretId, secretKey) : undefined)
    this.buckets = new BucketsStore(this.cos)
    this.objects = new ObjectsStore(this.cos)
    this.transfers = new TransfersStore(this.cos, (bucket, key) => this.objects.invalidate(bucket, [key]))
    this.push = new PushConnection((message) => this.#dispatch(message))
  }

  start(): void {
    this.push.start()
    void this.buckets.refresh()
  }

  stop(): void {
    this.push.stop()
    this.objects.dispose()
  }

  #dispatch(message: PushMessage): void {
    if (message.type === 'objects-changed') {
      this.objects.invalidate(message.bucket, message.keys)
      return
    }
    // Every stored change is consumed as an event, so a consumed event also invalidates.
    if (message.type === 'event-matched') this.objects.invalidate(message.bucket, [message.key])
    const lines = this.events.receive(message)
    this.logs.append(lines)
  }
}

export const [getSession, setSession] = createContext<Session>()
