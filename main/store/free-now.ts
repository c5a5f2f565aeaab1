/**
 * Free ArrayBuffers' memory now instead of at some later garbage collection. Node frees a
 * buffer's bytes only when the collector finds its object dead, and the collector runs on
 * JavaScript allocation, not on bytes: during a large upload the socket's 64 KiB chunks
 * pile up dead by the tens of MiB between collections, and glibc's heap keeps that
 * high-water mark (freed blocks under live ones are not given back to the system).
 *
 * Transferring a buffer through a closed MessagePort detaches it and drops the message at
 * once, which frees the bytes; the caller must hold no other view of them.
 */
import { MessageChannel } from 'node:worker_threads'

const { port1: sink, port2 } = new MessageChannel()
sink.close()
port2.close()

export function freeNow(buffers: ArrayBuffer[]): void {
  sink.postMessage(null, buffers)
}
