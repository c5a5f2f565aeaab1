/**
 * The hashes the signature rules need. node:crypto is pure computation (no I/O), so core/
 * may use it; this module keeps one small surface for SHA-1, SHA-256 and HMAC.
 */
import { createHash, createHmac } from 'node:crypto'

export type Bytes = Uint8Array

export function toHex(bytes: Bytes): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export const sha1Hex = (data: string | Bytes): string => createHash('sha1').update(data).digest('hex')
export const sha256Hex = (data: string | Bytes): string => createHash('sha256').update(data).digest('hex')
export const hmacSha1 = (key: string | Bytes, message: string | Bytes): Bytes =>
  createHmac('sha1', key).update(message).digest()
export const hmacSha256 = (key: string | Bytes, message: string | Bytes): Bytes =>
  createHmac('sha256', key).update(message).digest()
