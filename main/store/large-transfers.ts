/**
 * Large transfers (uploads through the hashing thread, blob GETs of a MiB or more) and the
 * moment they stop. Streaming hundreds of MiB grows memory that does not shrink by itself
 * once the server is idle: V8's young generation, grown for the allocation rate, stays
 * grown (+15 MiB measured after a 1 GiB PUT, multipart upload and GETs); the GET buffer
 * pool keeps its spare buffers. Once RECLAIM_AFTER_BYTES have moved and no large transfer
 * has run for IDLE_MS, the listeners run, once per such quiet period: the pool frees its
 * spares (blob-send.ts); the CLI adds a full collection (startup-gc.ts — a library host's
 * process is not ours to collect).
 *
 * IDLE_MS is longer than V8's window for the allocation rate (5 s): a full collection
 * shrinks the young generation only once the recent rate is low, so one made sooner would
 * collect but keep the memory.
 */

/** Bytes moved since the last reclaim before a quiet period reclaims again. */
const RECLAIM_AFTER_BYTES = 64 * 1024 * 1024
const IDLE_MS = 6_000

export interface LargeTransfers {
  /** A large transfer starts: no reclaim while one runs. */
  started(): void
  /** A large transfer ended (or failed) after moving `bytes`. */
  ended(bytes: number): void
  /** Run `reclaim` each time large transfers go quiet (in registration order); returns the undo. */
  onIdle(reclaim: () => void): () => void
}

export function createLargeTransfers(idleMs = IDLE_MS, reclaimAfterBytes = RECLAIM_AFTER_BYTES): LargeTransfers {
  let active = 0
  let moved = 0
  let timer: NodeJS.Timeout | undefined
  const listeners: (() => void)[] = []

  function reclaim(): void {
    timer = undefined
    if (active > 0) return
    moved = 0
    for (const listener of [...listeners]) {
      try {
        listener()
      } catch (error) {
        console.error('reclaiming memory after large transfers failed:', error)
      }
    }
  }

  return {
    started() {
      active++
      clearTimeout(timer)
      timer = undefined
    },
    ended(bytes) {
      active = Math.max(0, active - 1)
      moved += bytes
      if (active > 0 || moved < reclaimAfterBytes) return
      clearTimeout(timer)
      timer = setTimeout(reclaim, idleMs).unref()
    },
    onIdle(listener) {
      listeners.push(listener)
      return () => {
        const at = listeners.indexOf(listener)
        if (at >= 0) listeners.splice(at, 1)
      }
    }
  }
}

/** The process's: every blob store and the CLI share one (the GET buffer pool is per process). */
export const largeTransfers = createLargeTransfers()
