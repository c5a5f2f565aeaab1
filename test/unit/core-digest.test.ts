import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hmacSha1, hmacSha256, sha1Hex, sha256Hex, toHex } from '../../main/core/digest.ts'

describe('pure SHA-1 / SHA-256 / HMAC match node:crypto', () => {
  const inputs = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), '中文 ✓ emoji 🎉']
  for (let i = 0; i < 20; i++) inputs.push(randomBytes(i * 37).toString('latin1'))
  it('hashes', () => {
    for (const input of inputs) {
      expect(sha1Hex(input)).toBe(createHash('sha1').update(input, 'utf8').digest('hex'))
      expect(sha256Hex(input)).toBe(createHash('sha256').update(input, 'utf8').digest('hex'))
    }
  })
  it('HMACs with short, block-sized and long keys', () => {
    for (const key of ['', 'k', 'x'.repeat(64), 'y'.repeat(65), 'z'.repeat(200)]) {
      for (const input of inputs) {
        expect(toHex(hmacSha1(key, input))).toBe(createHmac('sha1', key).update(input, 'utf8').digest('hex'))
        expect(toHex(hmacSha256(key, input))).toBe(createHmac('sha256', key).update(input, 'utf8').digest('hex'))
      }
    }
    const binaryKey = new Uint8Array(randomBytes(32))
    expect(toHex(hmacSha256(binaryKey, 'm'))).toBe(createHmac('sha256', binaryKey).update('m').digest('hex'))
  })
})
