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
  // `<seconds>_<tag>_`, formatted once per second
  const prefix = formatOnChange((seconds) => `${seconds.toString(16)}_${tag}_`)
  return () => {
    counter = (counter + 1) % 0x100000000
    const head = prefix(Math.floor(now() / 1000))
    return toBase64(`${head}${counter.toString(16)}_${Math.floor(random() * 0xffffff).toString(16)}`)
  }
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
