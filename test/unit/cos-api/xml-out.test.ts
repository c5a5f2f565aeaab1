import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoDate } from '../../../main/cos-api/xml-out.ts'

describe('isoDate', () => {
  it('writes what toISOString writes, for any time (cached per second)', () => {
    for (const ms of [0, 1, 9, 10, 99, 100, 999, 1000, 1_733_400_000_123, 1_733_400_000_007, 253_402_300_799_999])
      expect(isoDate(ms)).toBe(new Date(ms).toISOString())
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), fc.integer({ min: 0, max: 2000 }), (ms, step) => {
        // same second twice, then a neighbour: the cached prefix must follow
        expect(isoDate(ms)).toBe(new Date(ms).toISOString())
        expect(isoDate(ms + step)).toBe(new Date(ms + step).toISOString())
      })
    )
    expect(isoDate(253_402_300_800_000)).toBe(new Date(253_402_300_800_000).toISOString())
    expect(isoDate(-1)).toBe(new Date(-1).toISOString())
    expect(isoDate(1.5)).toBe(new Date(1.5).toISOString())
  })
})
