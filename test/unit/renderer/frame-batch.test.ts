import { describe, expect, it } from 'vitest'
import { frameBatch } from '../../../renderer/src/lib/frame-batch.ts'

const nextFrame = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 40))

describe('batching live pushes by frame', () => {
  it('runs the flush once however often it was asked for before the frame', async () => {
    let flushes = 0
    const schedule = frameBatch(() => flushes++)
    schedule()
    schedule()
    schedule()
    expect(flushes).toBe(0)
    await nextFrame()
    expect(flushes).toBe(1)
  })

  it('asks for a new frame once the last one has flushed', async () => {
    let flushes = 0
    const schedule = frameBatch(() => flushes++)
    schedule()
    await nextFrame()
    schedule()
    await nextFrame()
    expect(flushes).toBe(2)
  })
})
