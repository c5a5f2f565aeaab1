/**
 * Streaming a byte range of one or more blob files (a composite blob's extents) in large
 * reads. Each read fills a fresh buffer of up to READ_BYTES with one read(2) on the thread
 * pool; a read starts only when the consumer has room (the stream's highWaterMark), so a
 * slow client holds at most about two buffers per response whatever the object's size.
 */
import { close, open, read } from 'node:fs'
import { Readable } from 'node:stream'

export const READ_BYTES = 1024 * 1024

/** Bytes start..end (inclusive) of one file: opened on demand, or already open. */
export interface Segment {
  path: string
  start: number
  end: number
  /** An already open descriptor the stream reads but does not close. */
  fd?: number
}

export function blobReadStream(segments: Segment[], onClose: () => void): Readable {
  return new BlobReadStream(segments, onClose)
}

class BlobReadStream extends Readable {
  private index = 0
  private position: number
  /** The descriptor this stream opened for the current segment (closed when it moves on). */
  private owned: number | undefined
  /** An open or read is running on the thread pool: the descriptor is closed when it returns. */
  private busy = false

  constructor(
    private readonly segments: Segment[],
    private readonly onClose: () => void
  ) {
    super({ highWaterMark: 2 * READ_BYTES })
    this.position = segments[0]?.start ?? 0
  }

  override _read(): void {
    const segment = this.segments[this.index]
    if (!segment) {
      this.push(null)
      return
    }
    const fd = segment.fd ?? this.owned
    this.busy = true
    if (fd === undefined) {
      open(segment.path, 'r', (error, opened) => {
        this.busy = false
        if (error) return this.destroy(error)
        this.owned = opened
        if (this.destroyed) return this.release()
        this._read()
      })
      return
    }
    const length = Math.min(READ_BYTES, segment.end - this.position + 1)
    const buffer = Buffer.allocUnsafeSlow(length)
    read(fd, buffer, 0, length, this.position, (error, bytes) => {
      this.busy = false
      if (this.destroyed) return this.release()
      if (error) return this.destroy(error)
      if (bytes === 0) return this.destroy(new Error(`${segment.path} is shorter than its recorded size`))
      this.position += bytes
      if (this.position > segment.end) this.nextSegment()
      this.push(bytes === length ? buffer : buffer.subarray(0, bytes))
    })
  }

  private nextSegment(): void {
    this.closeOwned()
    this.index++
    this.position = this.segments[this.index]?.start ?? 0
  }

  private closeOwned(): void {
    if (this.owned !== undefined) close(this.owned, () => undefined)
    this.owned = undefined
  }

  /** Close what this stream holds, once nothing runs on the thread pool. */
  private release(): void {
    this.closeOwned()
    this.onClose()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.busy) this.release()
    callback(error)
  }
}
