import { getHeapStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { collectStartupGarbage } from '../../main/startup-gc.ts'

/** Allocates objects nothing keeps; returns how many. */
function makeGarbage(): number {
  const items = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `item ${i}` }))
  return items.length
}

describe('collectStartupGarbage', () => {
  it('collects dead objects now and leaves no global gc behind', () => {
    const made = makeGarbage()
    const withGarbage = getHeapStatistics().used_heap_size
    expect(made).toBe(200_000)
    collectStartupGarbage()
    expect(getHeapStatistics().used_heap_size).toBeLessThan(withGarbage - 8 * 1024 * 1024)
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined()
  })
})
