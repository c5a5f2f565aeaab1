import { describe, expect, it } from 'vitest'
import { asciiBase64, createRequestIdSource, decodeRequestId } from '../../../../main/core/cos/request-id.ts'

describe('request ids', () => {
  it('are the base64 of <hex seconds>_<tag>_<counter>_<random>, whatever the length of the seconds', () => {
    // epoch seconds of 1 to 9 hex digits: the cached prefix holds 0, 1 or 2 characters over whole triples
    for (const start of [0, 1_000, 70_000, 1_780_000_000_000, 4_000_000_000_000, 70_000_000_000_000]) {
      let now = start
      const next = createRequestIdSource(() => now)
      const seen = new Set<string>()
      for (let i = 0; i < 2_000; i++) {
        now += 3
        const id = next()
        const text = decodeRequestId(id)
        expect(Buffer.from(text, 'latin1').toString('base64')).toBe(id)
        expect(text).toMatch(/^[0-9a-f]+_[0-9a-f]{8}_[0-9a-f]+_[0-9a-f]+$/)
        expect(text.split('_')[0]).toBe(Math.floor(now / 1000).toString(16))
        seen.add(id)
      }
      expect(seen.size).toBe(2_000)
    }
  })

  it('encodes ASCII as Buffer does, with padding', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', '5c19f80a_25b25864_1521_278af3', '~_~']) {
      expect(asciiBase64(text)).toBe(Buffer.from(text, 'latin1').toString('base64'))
    }
  })
})
