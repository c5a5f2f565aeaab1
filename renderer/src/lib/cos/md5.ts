/**
 * MD5 (RFC 1321) over bytes, for the Content-MD5 header COS requires on Delete Multiple and
 * Restore requests. Web Crypto has no MD5, and the bodies hashed here are small XML documents.
 */

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
const SINES = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0)

/** Pads the message to a multiple of 64 bytes: 0x80, zeros, then the bit length (little-endian). */
function pad(bytes: Uint8Array): Uint8Array {
  const total = Math.ceil((bytes.length + 9) / 64) * 64
  const padded = new Uint8Array(total)
  padded.set(bytes)
  padded[bytes.length] = 0x80
  const view = new DataView(padded.buffer)
  const bits = bytes.length * 8
  view.setUint32(total - 8, bits >>> 0, true)
  view.setUint32(total - 4, Math.floor(bits / 2 ** 32), true)
  return padded
}

function round(i: number, b: number, c: number, d: number): [number, number] {
  if (i < 16) return [(b & c) | (~b & d), i]
  if (i < 32) return [(d & b) | (~d & c), (5 * i + 1) % 16]
  if (i < 48) return [b ^ c ^ d, (3 * i + 5) % 16]
  return [c ^ (b | ~d), (7 * i) % 16]
}

/** The 16-byte MD5 digest of `bytes`. */
export function md5(bytes: Uint8Array): Uint8Array {
  const padded = pad(bytes)
  const view = new DataView(padded.buffer)
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
  const words = new Array<number>(16)
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let j = 0; j < 16; j++) words[j] = view.getUint32(offset + j * 4, true)
    let [a, b, c, d] = state as [number, number, number, number]
    for (let i = 0; i < 64; i++) {
      const [f, g] = round(i, b, c, d)
      const sum = (a + f + SINES[i]! + words[g]!) | 0
      const shift = SHIFTS[(i >> 4) * 4 + (i % 4)]!
      a = d
      d = c
      c = b
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0
    }
    state[0] = (state[0]! + a) | 0
    state[1] = (state[1]! + b) | 0
    state[2] = (state[2]! + c) | 0
    state[3] = (state[3]! + d) | 0
  }
  const out = new Uint8Array(16)
  const outView = new DataView(out.buffer)
  state.forEach((word, i) => outView.setUint32(i * 4, word >>> 0, true))
  return out
}

/** Base64 of the MD5 digest of a UTF-8 string: the value of a Content-MD5 header. */
export function contentMd5(text: string): string {
  const digest = md5(new TextEncoder().encode(text))
  return btoa(String.fromCharCode(...digest))
}

/** Lower-case hex of the MD5 digest. */
export function md5Hex(bytes: Uint8Array): string {
  return Array.from(md5(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('')
}
