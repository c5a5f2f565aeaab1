/** Open mode is refused on a non-loopback host unless credentials or --allow-open are given. */
import { describe, expect, it } from 'vitest'
import { openModeRefusal } from '../../../../main/core/cos/open-mode.ts'

describe('openModeRefusal', () => {
  it.each([
    ['127.0.0.1', false, false],
    ['localhost', false, false],
    ['::1', false, false],
    ['[::1]', false, false],
    ['127.0.0.2', false, false],
    ['0.0.0.0', true, false],
    ['0.0.0.0', false, true],
    ['192.168.1.20', true, false]
  ])('host %s with credentials=%s allowOpen=%s is fine', (host, hasCredentials, allowOpen) => {
    expect(openModeRefusal({ host, hasCredentials, allowOpen })).toBeUndefined()
  })

  it.each([
    ['0.0.0.0', 'every network interface'],
    ['::', 'every network interface'],
    ['192.168.1.20', 'the address 192.168.1.20']
  ])('host %s in open mode is refused, saying why and what to do', (host, where) => {
    const reason = openModeRefusal({ host, hasCredentials: false, allowOpen: false })
    expect(reason).toContain(where)
    expect(reason).toContain('open mode')
    expect(reason).toContain('--secret-id')
    expect(reason).toContain('--allow-open')
  })
})
