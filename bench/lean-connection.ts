/**
 * A keep-alive HTTP/1.1 connection built to cost the client as little as possible, so that a
 * bench times the server and not its own client: every read(2) lands in one reused 1 MiB
 * buffer (`net` `onread`) and the response head is parsed by hand.
 *
 * - Kept bodies (the million-object listing's thousand pages) are copied into a second
 *   reused buffer; the reply's body is a view of it, valid until the next request.
 *   `node:http` plus a `<Key>` regex over every page allocates a few MiB per hundred pages,
 *   and the client's own collections then land inside the pages it times.
 * - Discarded bodies (`leanGet`, 1 GiB GETs) are only counted. `node:http` reads a socket
 *   into a fresh 64 KiB buffer each time; on this machine those buffers sometimes come from
 *   memory glibc has just given back to the kernel, and the client then pays a page fault per
 *   4 KiB page: up to 150,000 per GiB and 3–7 s of its own CPU for a GET the server sends in
 *   0.5 s of CPU.
 */
import { connect, type Socket } from 'node:net'

const HEAD_END = Buffer.from('\r\n\r\n')
/** A response head larger than this is not what these servers send. */
const MAX_HEAD = 64 * 1024

export interface LeanResponse {
  status: number
  /** The response head (status line and headers), latin1. */
  head: string
  /** Body bytes received (the response's Content-Length, which it must carry). */
  bytes: number
  /** The body: a view of the connection's buffer, overwritten by the next request; empty when discarded. */
  body: Buffer
  /** performance.now() when the response's first bytes arrived. */
  firstByteAt: number
}

export interface LeanOptions {
  /** Count the body's bytes without keeping them (large GETs). */
  discardBody?: boolean
}

export class LeanConnection {
  private readonly socket: Socket
  private readonly ready: Promise<void>
  private readonly readBuffer = Buffer.allocUnsafe(1024 * 1024)
  private readonly discardBody: boolean
  /** The head, then (when kept) the body, of the current response. */
  private bodyBuffer: Buffer
  /** Bytes of the current response in `bodyBuffer` (head included until it is parsed). */
  private filled = 0
  private head: string | undefined
  private firstByteAt = 0
  private status = 0
  private bodyStart = 0
  private length = 0
  /** Body bytes counted so far when the body is discarded. */
  private counted = 0
  private waiting: { resolve: (r: LeanResponse) => void; reject: (e: Error) => void } | undefined

  constructor(
    readonly port: number,
    options: LeanOptions = {}
  ) {
    this.discardBody = options.discardBody ?? false
    this.bodyBuffer = Buffer.allocUnsafe(this.discardBody ? MAX_HEAD : 4 * 1024 * 1024)
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
    this.counted = 0
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
    if (this.head === undefined) {
      if (this.filled === 0) this.firstByteAt = performance.now()
      const copied = this.append(n)
      if (!this.parseHead()) {
        if (copied < n) this.fail(new Error(`response head over ${MAX_HEAD} bytes`))
        return true
      }
      // a discarded body's first bytes may not all have been copied
      this.counted = this.filled - this.bodyStart + (n - copied)
    } else if (this.discardBody) this.counted += n
    else this.append(n)
    const received = this.discardBody ? this.counted : this.filled - this.bodyStart
    if (received >= this.length) this.finish()
    return true
  }

  /** Copy the read into `bodyBuffer` (grown for a kept body); returns how many bytes were copied. */
  private append(n: number): number {
    if (this.filled + n > this.bodyBuffer.length && !this.discardBody) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.bodyBuffer.length, this.filled + n))
      this.bodyBuffer.copy(bigger, 0, 0, this.filled)
      this.bodyBuffer = bigger
    }
    const copied = Math.min(n, this.bodyBuffer.length - this.filled)
    this.readBuffer.copy(this.bodyBuffer, this.filled, 0, copied)
    this.filled += copied
    return copied
  }

  /** Parse the head once it has all arrived; false while it has not. */
  private parseHead(): boolean {
    const end = this.bodyBuffer.subarray(0, this.filled).indexOf(HEAD_END)
    if (end < 0) return false
    this.head = this.bodyBuffer.toString('latin1', 0, end)
    this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(this.head)?.[1] ?? 0)
    const declared = /\r\ncontent-length:\s*(\d+)/i.exec(this.head)?.[1]
    if (declared === undefined) {
      this.fail(new Error(`no Content-Length in ${this.head.slice(0, 200)}`))
      return false
    }
    this.length = Number(declared)
    this.bodyStart = end + HEAD_END.length
    return true
  }

  private finish(): void {
    const waiting = this.waiting
    if (!waiting || this.head === undefined) return
    this.waiting = undefined
    waiting.resolve({
      status: this.status,
      head: this.head,
      bytes: this.length,
      body: this.discardBody ? Buffer.alloc(0) : this.bodyBuffer.subarray(this.bodyStart, this.bodyStart + this.length),
      firstByteAt: this.firstByteAt
    })
  }

  private fail(error: Error): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.reject(error)
  }
}

/** GET `path` from 127.0.0.1:`port` on a connection of its own, counting the body without keeping it. */
export async function leanGet(port: number, path: string): Promise<LeanResponse> {
  const connection = new LeanConnection(port, { discardBody: true })
  try {
    return await connection.get(path)
  } finally {
    connection.close()
  }
}
