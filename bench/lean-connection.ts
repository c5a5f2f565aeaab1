/**
 * One keep-alive HTTP/1.1 connection for a long series of small GETs (the million-object
 * listing's thousand pages), built to cost the client as little as possible: every read(2)
 * lands in one reused buffer (`net` `onread`), the body is copied into a second reused
 * buffer, the head is parsed by hand. The reply's body is a view of that buffer, valid until
 * the next request. `node:http` plus a `<Key>` regex over every page allocates a few MiB per
 * hundred pages; the client's own collections then land inside the pages it times.
 */
import { connect, type Socket } from 'node:net'

const HEAD_END = Buffer.from('\r\n\r\n')

export interface LeanResponse {
  status: number
  /** The response head (status line and headers), latin1. */
  head: string
  /** The body: a view of the connection's buffer, overwritten by the next request. */
  body: Buffer
  /** performance.now() when the response's first bytes arrived. */
  firstByteAt: number
}

export class LeanConnection {
  private readonly socket: Socket
  private readonly ready: Promise<void>
  private readonly readBuffer = Buffer.allocUnsafe(1024 * 1024)
  private bodyBuffer = Buffer.allocUnsafe(4 * 1024 * 1024)
  /** Bytes of the current response received so far (head included until it is parsed). */
  private filled = 0
  private head: string | undefined
  private firstByteAt = 0
  private status = 0
  private bodyStart = 0
  private length = 0
  private waiting: { resolve: (r: LeanResponse) => void; reject: (e: Error) => void } | undefined

  constructor(readonly port: number) {
    this.socket = connect({
      host: '127.0.0.1',
      port,
      onread: { buffer: this.readBuffer, callback: (n: number) => this.received(n) }
    })
    this.socket.setNoDelay(true)
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve)
      this.socket.once('error', reject)
    })
    this.socket.on('error', (error) => this.fail(error))
    this.socket.on('close', () => this.fail(new Error('the connection closed')))
  }

  /** GET `path`; the server must answer with Content-Length and keep the connection open. */
  async get(path: string): Promise<LeanResponse> {
    await this.ready
    if (this.waiting) throw new Error('one request at a time')
    this.filled = 0
    this.head = undefined
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject }
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\n\r\n`)
    })
  }

  close(): void {
    this.socket.destroy()
  }

  private received(n: number): boolean {
    if (!this.waiting) return true
    if (this.filled === 0) this.firstByteAt = performance.now()
    if (this.filled + n > this.bodyBuffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.bodyBuffer.length, this.filled + n))
      this.bodyBuffer.copy(bigger, 0, 0, this.filled)
      this.bodyBuffer = bigger
    }
    this.readBuffer.copy(this.bodyBuffer, this.filled, 0, n)
    this.filled += n
    if (this.head === undefined) {
      const end = this.bodyBuffer.subarray(0, this.filled).indexOf(HEAD_END)
      if (end < 0) return true
      this.head = this.bodyBuffer.toString('latin1', 0, end)
      this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(this.head)?.[1] ?? 0)
      const declared = /\r\ncontent-length:\s*(\d+)/i.exec(this.head)?.[1]
      if (declared === undefined) {
        this.fail(new Error(`no Content-Length in ${this.head.slice(0, 200)}`))
        return true
      }
      this.length = Number(declared)
      this.bodyStart = end + HEAD_END.length
    }
    if (this.filled - this.bodyStart >= this.length) {
      const waiting = this.waiting
      this.waiting = undefined
      waiting.resolve({
        status: this.status,
        head: this.head,
        body: this.bodyBuffer.subarray(this.bodyStart, this.bodyStart + this.length),
        firstByteAt: this.firstByteAt
      })
    }
    return true
  }

  private fail(error: Error): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.reject(error)
  }
}
