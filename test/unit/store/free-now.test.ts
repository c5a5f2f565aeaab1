/**
 * freeNow (main/store/free-now.ts) gives a buffer's bytes back at once: the ArrayBuffer is
 * detached and the process's ArrayBuffer memory drops without waiting for a collection.
 */
import { describe, expect, it } from 'vitest'
import { freeNow } from '../../../main/store/free-now.ts'

describe('freeNow', () => {
  it('detaches the buffers and releases their memory immediately', () => {
    const size = 16 * 1024 * 1024
    const buffers = [new ArrayBuffer(size), new ArrayBuffer(size)]
    new Uint8Array(buffers[0]!).fill(1)
    const before = process.memoryUsage().arrayBuffers
    freeNow(buffers)
    expect(buffers.map((buffer) => buffer.byteLength)).toEqual([0, 0])
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(2 * size)
  })

  it('can be called again and again on the same closed port', () => {
    for (let i = 0; i < 3; i++) {
      const buffer = new ArrayBuffer(1024)
      freeNow([buffer])
      expect(buffer.byteLength).toBe(0)
    }
  })
})
