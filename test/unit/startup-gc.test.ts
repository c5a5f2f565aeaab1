import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { getHeapStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { collectStartupGarbage } from '../../main/startup-gc.ts'

const SCAVENGE_CHILD = join(import.meta.dirname, '..', 'fixtures', 'scavenge-child.ts')

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

describe('scavengeOnMainThread', () => {
  it('leaves every later scavenge to the main thread (no time on helper threads)', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--trace-gc-nvp', SCAVENGE_CHILD], {
      encoding: 'utf8',
      timeout: 60_000
    })
    expect(child.status, child.stderr).toBe(0)
    expect(child.stdout).toContain('KEPT 14')
    // loading the modules scavenged before the call: only those after it count
    const setAt = Number(/SET ([\d.]+)/.exec(child.stderr)?.[1])
    const helperMs = [...child.stdout.matchAll(/\s(\d+) ms: [^\n]*gc=s [^\n]*background\.scavenge\.parallel=([\d.]+)/g)]
      .filter((m) => Number(m[1]) > setAt + 1)
      .map((m) => Number(m[2]))
    expect(helperMs.length).toBeGreaterThan(5)
    expect(helperMs.every((ms) => ms === 0)).toBe(true)
  })
})
