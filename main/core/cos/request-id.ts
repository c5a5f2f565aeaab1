/**
 * Request ids in COS's shape: base64 of `<hex epoch seconds>_<hex>_<hex>_<hex>`, e.g.
 * `NWMxOWY4MGFfMjViMjU4NjRfMTUyMV8yNzhhZjM=` = base64("5c19f80a_25b25864_1521_278af3").
 */

export interface RequestIdSource {
  (): string
}

/** A generator of unique ids: a per-process random tag and a counter. */
export function createRequestIdSource(now: () => number, random: () => number = Math.random): RequestIdSource {
  const tag = Math.floor(random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0')
  let counter = Math.floor(random() * 0xffff)
  // `<seconds>_<tag>_`, formatted once per second (epoch seconds are past V8's small integers:
  // their hex is a runtime call)
  let second = Number.NaN
  let prefix = ''
  return () => {
    counter = (counter + 1) % 0x100000000
    const seconds = Math.floor(now() / 1000)
    if (seconds !== second) {
      second = seconds
      prefix = `${seconds.toString(16)}_${tag}_`
    }
    return toBase64(`${prefix}${counter.toString(16)}_${Math.floor(random() * 0xffffff).toString(16)}`)
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
