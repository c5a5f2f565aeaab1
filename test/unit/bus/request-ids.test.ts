import { describe, expect, it } from 'vitest'
import { timeOrderedUuid } from '../../../main/bus/request-ids.ts'

describe('delivery request ids', () => {
  it('are version 7 UUIDs that sort by the time they were made', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_001, 1_800_000_000_000].map((ms) =>
      timeOrderedUuid(ms)
    )
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(ids[0]!.startsWith('018bcfe5-6800-7')).toBe(true) // 0x018bcfe56800 ms
    expect(ids[1]!.slice(0, 15)).toBe(ids[2]!.slice(0, 15))
    expect(ids[1]).not.toBe(ids[2])
    expect([...ids].sort()[0]).toBe(ids[0])
    expect([...ids].sort()[3]).toBe(ids[3])
  })
})
