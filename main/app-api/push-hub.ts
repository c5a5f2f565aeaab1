/**
 * Fans push messages out to every connected UI WebSocket, in batches (about every 16 ms)
 * with a bounded buffer per client so a log flood cannot freeze the UI or grow memory.
 */
import type { WebSocket } from 'ws'
import type { PushMessage, PushSink } from '../../preload/contract/push.ts'

const FLUSH_MS = 16
const MAX_BUFFERED = 2000

export class PushHub implements PushSink {
  readonly #clients = new Map<WebSocket, PushMessage[]>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #dropped = 0

  add(socket: WebSocket): void {
    this.#clients.set(socket, [])
    socket.on('close', () => this.#clients.delete(socket))
  }

  get listening(): boolean {
    return this.#clients.size > 0
  }

  send(message: PushMessage): void {
    if (this.#clients.size === 0) return
    for (const queue of this.#clients.values()) {
      if (queue.length < MAX_BUFFERED) queue.push(message)
      else this.#dropped++
    }
    this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS)
  }

  #flush(): void {
    this.#timer = undefined
    for (const [socket, queue] of this.#clients) {
      if (queue.length === 0) continue
      const batch = queue.splice(0)
      if (this.#dropped > 0) {
        batch.push({
          type: 'log',
          dropped: this.#dropped,
          line: `[cos-local] ${this.#dropped} push messages dropped (UI too slow)`
        })
      }
      socket.send(JSON.stringify(batch))
    }
    this.#dropped = 0
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
    for (const socket of this.#clients.keys()) socket.close()
    this.#clients.clear()
  }
}
