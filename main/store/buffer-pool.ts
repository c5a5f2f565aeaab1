/**
 * Reusable large buffers for streaming blob bytes. A fresh 1 MiB buffer per read costs a
 * malloc, page faults on first touch and a garbage collection to free it; and once glibc
 * has freed one such block it raises its mmap threshold, so later ones come from the heap
 * and the heap keeps the high-water mark of buffers awaiting collection. Buffers taken here
 * are given back once their bytes are no longer referenced (a socket write's callback), and
 * the free ones are kept for the next transfer: a fixed, small amount of memory whatever
 * the traffic. A buffer that is never given back (a connection that died mid-write) is
 * simply collected.
 */
import { freeNow } from './free-now.ts'

export interface BufferPool {
  /** A buffer of `size` bytes with undefined content. */
  take(): Buffer
  /** Return a buffer taken from this pool; its bytes must no longer be in use. */
  give(buffer: Buffer): void
  /** Free the spare buffers now (buffers still taken come back and are kept as before). */
  drain(): void
  readonly size: number
}

export function createBufferPool(size: number, keepFree: number): BufferPool {
  const free: Buffer[] = []
  return {
    size,
    take: () => free.pop() ?? Buffer.allocUnsafeSlow(size),
    give(buffer) {
      if (buffer.length === size && free.length < keepFree && !free.includes(buffer)) free.push(buffer)
    },
    drain() {
      // each spare owns its whole ArrayBuffer (allocUnsafeSlow): detach and free it at once
      freeNow(free.splice(0).map((buffer) => buffer.buffer as ArrayBuffer))
    }
  }
}
