import { describe, expect, it } from 'vitest'
import { formatOnChange } from '../../../main/core/format-on-change.ts'

describe('formatOnChange', () => {
  it('formats again only when the value changes', () => {
    const calls: number[] = []
    const hex = formatOnChange((value) => {
      calls.push(value)
      return value.toString(16)
    })
    expect([hex(255), hex(255), hex(256), hex(256), hex(255)]).toEqual(['ff', 'ff', '100', '100', 'ff'])
    expect(calls).toEqual([255, 256, 255])
  })

  it('formats on the first call, whatever the value', () => {
    expect(formatOnChange((value) => `v${value}`)(0)).toBe('v0')
  })
})
