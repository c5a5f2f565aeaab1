/**
 * Request ids in COS's shape: base64 of `<hex epoch seconds>_<hex>_<hex>_<hex>`, e.g.
 * `NWMxOWY4MGFfMjViMjU4NjRfMTUyMV8yNzhhZjM=` = base64("5c19f80a_25b25864_1521_278af3").
 */
import { formatOnChange } from '../format-on-change.ts'

export interface RequestIdSource {
  (): string
}

/** A generator of unique ids: a per-process random tag and a counter. */
export function createRequestIdSource(now: () => number, random: () => number = Math.random): RequestIdSource {
  const tag = Math.floor(random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0')
  let counter = Math.floor(random() * 0xffff)
  // `<seconds>_<tag>_`, formatted and encoded once per second: base64 maps every 3 characters
  // to 4 on their own, so the prefix's whole triples are encoded once and only the rest (its
  // last 0-2 characters and the per-id tail) per id, in JavaScript (a Buffer per id cost ≈ 1 µs)
  const prefix = formatOnChange((seconds) => {
    const text = `${seconds.toString(16)}_${tag}_`
    const whole = text.length - (text.length % 3)
    return { encoded: toBase64(text.slice(0, whole)), rest: text.slice(whole) }
  })
  return () => {
    counter = (counter + 1) % 0x100000000
    const head = prefix(Math.floor(now() / 1000))
    return (
      head.encoded + asciiBase64(`${head.rest}${counter.toString(16)}_${Math.floor(random() * 0xffffff).toString(16)}`)
    )
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Base64 (with padding) of a short ASCII text, character by character. */
export function asciiBase64(ascii: string): string {
  let out = ''
  const n = ascii.length
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (ascii.charCodeAt(i) << 16) | (ascii.charCodeAt(i + 1) << 8) | ascii.charCodeAt(i + 2)
    out += BASE64[v >> 18]! + BASE64[(v >> 12) & 63]! + BASE64[(v >> 6) & 63]! + BASE64[v & 63]!
  }
  if (i + 1 === n) {
    const v = ascii.charCodeAt(i) << 16
    out += BASE64[v >> 18]! + BASE64[(v >> 12) & 63]! + '=='
  } else if (i + 2 === n) {
    const v = (ascii.charCodeAt(i) << 16) | (ascii.charCodeAt(i + 1) << 8)
    out += BASE64[v >> 18]! + BASE64[(v >> 12) & 63]! + BASE64[(v >> 6) & 63]! + '='
  }
  return out
}

/** Decode an id back to its parts (tests, debugging). */
export function decodeRequestId(id: string): string {
  return fromBase64(id)
}

/** Base64 of an ASCII text, in one native call each way. */
function toBase64(ascii: string): string {
  return Buffer.from(ascii, 'latin1').toString('base64')
}

function fromBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('latin1')
}
