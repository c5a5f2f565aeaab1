/**
 * The push WebSocket: connects, reconnects with back-off, and hands each batch of messages
 * to the stores (object changes invalidate the listing; events and logs are appended).
 */
import type { PushMessage } from '../../../../preload/contract/push.ts'
import { openPushSocket } from '../api.ts'

export type PushState = 'connecting' | 'open' | 'closed'

const MAX_BACKOFF_MS = 10_000

export class PushConnection {
  state = $state<PushState>('closed')
  #socket: WebSocket | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #backoff = 500
  #stopped = false

  constructor(private readonly onMessage: (message: PushMessage) => void) {}

  start(): void {
    this.#stopped = false
    this.#connect()
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#socket?.close()
    this.#socket = undefined
    this.state = 'closed'
  }

  #connect(): void {
    this.state = 'connecting'
    const socket = openPushSocket((messages) => {
      for (const message of messages) this.onMessage(message)
    })
    this.#socket = socket
    socket.onopen = () => {
      this.state = 'open'
      this.#backoff = 500
    }
    socket.onclose = () => {
      if (this.#socket !== socket) return
      this.state = 'closed'
      if (this.#stopped) return
      this.#timer = setTimeout(() => this.#connect(), this.#backoff)
      this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS)
    }
  }
}
