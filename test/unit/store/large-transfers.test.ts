import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createBufferPool } from '../../../main/store/buffer-pool.ts'
import { createLargeTransfers } from '../../../main/store/large-transfers.ts'

const MiB = 1024 * 1024

describe('large transfers going quiet', () => {
  it('reclaims once, after the idle time, when enough bytes moved', async () => {
    const transfers = createLargeTransfers(30, 10 * MiB)
    const calls: string[] = []
    transfers.onIdle(() => calls.push('pool'))
    transfers.onIdle(() => calls.push('gc'))
    transfers.started()
    transfers.ended(6 * MiB)
    await sleep(60)
    expect(calls).toEqual([]) // 6 MiB: below the threshold
    transfers.started()
    transfers.ended(6 * MiB)
    expect(calls).toEqual([]) // not before the idle time
    await sleep(60)
    expect(calls).toEqual(['pool', 'gc'])
    await sleep(60)
    expect(calls).toEqual(['pool', 'gc']) // once per quiet period
  })

  it('waits while a transfer runs, and starts the idle time again after it', async () => {
    const transfers = createLargeTransfers(40, MiB)
    let reclaims = 0
    const undo = transfers.onIdle(() => reclaims++)
    transfers.started()
    transfers.started()
    transfers.ended(2 * MiB)
    await sleep(70)
    expect(reclaims).toBe(0) // the other one still runs
    transfers.ended(2 * MiB)
    await sleep(20)
    transfers.started() // a new transfer within the idle time
    await sleep(50)
    expect(reclaims).toBe(0)
    transfers.ended(MiB)
    await sleep(70)
    expect(reclaims).toBe(1)
    undo()
    transfers.started()
    transfers.ended(2 * MiB)
    await sleep(70)
    expect(reclaims).toBe(1)
  })
})

describe('buffer pool drain', () => {
  it('frees the spare buffers at once and hands out new ones after', () => {
    const pool = createBufferPool(MiB, 4)
    const a = pool.take()
    const b = pool.take()
    pool.give(a)
    pool.give(b)
    expect(pool.take()).toBe(b) // spares are reused
    pool.give(b)
    pool.drain()
    expect(a.buffer.byteLength).toBe(0) // detached: the bytes are freed
    expect(b.buffer.byteLength).toBe(0)
    const c = pool.take()
    expect(c === a || c === b).toBe(false)
    expect(c.length).toBe(MiB)
  })
})
