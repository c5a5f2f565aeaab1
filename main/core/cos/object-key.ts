/**
 * Object key rules: not empty, at most 850 bytes of UTF-8 (COS's documented limit), no
 * NUL. Keys are data: `../`, `%`, `+`, `?`, `#` and any unicode are allowed as they are.
 */
import { CosError } from './errors.ts'

export const MAX_KEY_BYTES = 850

export function validateKey(key: string): string {
  if (key.length === 0) throw new CosError('InvalidObjectName', 'The object key must not be empty.')
  if (key.includes('\u0000')) throw new CosError('InvalidObjectName', 'The object key must not contain NUL.')
  if (utf8Length(key) > MAX_KEY_BYTES) {
    throw new CosError('KeyTooLong', `The object key is longer than ${MAX_KEY_BYTES} bytes.`)
  }
  return key
}

function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}
