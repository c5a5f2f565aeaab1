/**
 * Sending a byte range of one or more blob files (a composite blob's extents) to a
 * writable — an HTTP response — in 4 MiB reads into reusable buffers (buffer-pool.ts).
 * One read runs on the thread pool while the previous buffer drains into the socket; a
 * buffer goes back to the pool when the socket's write callback says the kernel has its
 * bytes. A response holds at most three buffers, whatever the object's size or the
 * client's speed (the socket's backpressure stops the reads). A read shorter than a
 * buffer (a small file, a range, a file's tail) gets a buffer of its own size.
 *
 * 4 MiB rather than 1: per GiB a quarter of the reads, socket writes and turns of the
 * loop below; the server's CPU per 1 GiB GET fell from 420 to 360 ms (main thread 250 →
 * 215 ms, the null server's 195; reads on the thread pool 170 → 145 ms), alternated GET by
 * GET in one run (bench/big-get-ab.ts, load ≈ 9).
 */
import { close, open, read } from 'node:fs'
import type { Writable } from 'node:stream'
import { promisify } from 'node:util'
import type { Segment } from './blob-read-stream.ts'
import { createBufferPool } from './buffer-pool.ts'
import { largeTransfers } from './large-transfers.ts'

const READ_BYTES = 4 * 1024 * 1024
/** Free buffers kept between responses (freed when large transfers go quiet). */
const KEEP_FREE = 4
/** A send of at least this much counts as a large transfer (large-transfers.ts). */
const LARGE_BYTES = 1024 * 1024
const pool = createBufferPool(READ_BYTES, KEEP_FREE)
largeTransfers.onIdle(() => pool.drain())

const openAsync = promisify(open)
const closeAsync = promisify(close)

function readAsync(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytes) => (error ? reject(error) : resolve(bytes)))
  })
}

interface Chunk {
  buffer: Buffer
  bytes: number
}

/**
 * Write the segments' bytes to `out` and end it. Resolves once `out` has finished; rejects
 * when `out` closes first (the client went away) or a read fails (then `out` is destroyed).
 * Descriptors the segments came with are left open; those opened here are closed.
 */
export async function sendSegments(segments: readonly Segment[], out: Writable): Promise<void> {
  const bytes = segments.reduce((sum, segment) => sum + segment.end - segment.start + 1, 0)
  const large = bytes >= LARGE_BYTES
  if (large) largeTransfers.started()
  const closed = closedSignal(out)
  const reads = readChunks(segments)
  try {
    let pending = ahead(reads)
    for (;;) {
      const next = await Promise.race([pending, closed.promise])
      if (next.done) break
      const { buffer, bytes } = next.value
      const ok = out.write(bytes === buffer.length ? buffer : buffer.subarray(0, bytes), () => pool.give(buffer))
      pending = ahead(reads) // the next read runs while this buffer drains
      if (!ok) await Promise.race([drained(out), closed.promise])
    }
    out.end()
    await Promise.race([finished(out), closed.promise])
  } catch (error) {
    out.destroy()
    throw error
  } finally {
    closed.dispose()
    await reads.return(undefined).catch(() => undefined)
    if (large) largeTransfers.ended(bytes)
  }
}

/** The next read, started now; a failure surfaces where it is awaited (not as an unhandled rejection). */
function ahead(reads: AsyncGenerator<Chunk, void, undefined>): Promise<IteratorResult<Chunk, void>> {
  const next = reads.next()
  next.catch(() => undefined)
  return next
}

/** Successive reads of the segments, each into a pooled buffer. */
async function* readChunks(segments: readonly Segment[]): AsyncGenerator<Chunk, void, undefined> {
  for (const segment of segments) {
    const fd = segment.fd ?? (await openAsync(segment.path, 'r'))
    try {
      for (let position = segment.start; position <= segment.end;) {
        const length = Math.min(READ_BYTES, segment.end - position + 1)
        const buffer = length === READ_BYTES ? pool.take() : Buffer.allocUnsafeSlow(length)
        let bytes: number
        try {
          bytes = await readAsync(fd, buffer, length, position)
        } catch (error) {
          pool.give(buffer)
          throw error
        }
        if (bytes === 0) {
          pool.give(buffer)
          throw new Error(`${segment.path} is shorter than its recorded size`)
        }
        position += bytes
        yield { buffer, bytes }
      }
    } finally {
      if (segment.fd === undefined) await closeAsync(fd).catch(() => undefined)
    }
  }
}

function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => out.once('drain', resolve))
}

function finished(out: Writable): Promise<void> {
  return out.writableFinished ? Promise.resolve() : new Promise((resolve) => out.once('finish', resolve))
}

/** A promise that rejects when `out` closes or fails before it finished. */
function closedSignal(out: Writable): { promise: Promise<never>; dispose: () => void } {
  let onClose = (): void => undefined
  const promise = new Promise<never>((_, reject) => {
    onClose = () => {
      if (!out.writableFinished) reject(new Error('the response closed before its body was sent'))
    }
    out.once('close', onClose)
    out.once('error', onClose)
  })
  promise.catch(() => undefined)
  return {
    promise,
    dispose: () => {
      out.off('close', onClose)
      out.off('error', onClose)
    }
  }
}
