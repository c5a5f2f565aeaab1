import { describe, expect, it } from 'vitest'
import { createInvocationWatch, type WatchTick } from '../../../main/functions/invocation-watch.ts'

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('the invocations watch', () => {
  it('ticks for every watcher with one task count read, samples every few ticks, and stops when none is left', async () => {
    let reads = 0
    const watch = createInvocationWatch(2, 3, () => ++reads)
    const a: WatchTick[] = []
    const b: WatchTick[] = []
    const stopA = watch.add((tick) => a.push(tick))
    const stopB = watch.add((tick) => b.push(tick))
    while (a.length < 6) await wait(2)
    stopA()
    const seen = a.length
    expect(a.map((tick) => tick.tasks)).toEqual(b.slice(0, seen).map((tick) => tick.tasks))
    expect(reads).toBe(b.length) // one read per tick, shared
    expect(a.filter((tick) => tick.sample).length).toBe(Math.floor(a[seen - 1]!.tasks! / 3))
    await wait(10)
    expect(a.length).toBe(seen) // removed: no more ticks
    expect(b.length).toBeGreaterThan(seen)
    stopB()
    const after = reads
    await wait(10)
    expect(reads).toBe(after) // the ticker stopped with its last watcher
    const c: WatchTick[] = []
    const stopC = watch.add((tick) => c.push(tick))
    while (c.length < 1) await wait(2)
    stopC()
    expect(c[0]!.tasks).toBe(after + 1) // and starts again with a new one
  })
})
