/**
 * Object keys are ordered as COS/S3 order them: by UTF-8 bytes, which is the same as
 * Unicode code-point order (and SQLite's BINARY collation on UTF-8 text). JavaScript's
 * `<` compares UTF-16 code units, which differs for characters above U+FFFF, so the
 * listing rules use these helpers instead.
 */

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // A surrogate (U+D800–U+DFFF) stands for a code point above U+FFFF, which sorts after
    // every BMP character; lift surrogates above the rest of the BMP before comparing.
    return lift(x) - lift(y)
  }
  return a.length - b.length
}

function lift(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit
}

/**
 * The smallest string that sorts after every string starting with `prefix` (the end of a
 * range scan), or undefined when there is none that can be written (an empty prefix, or
 * one that ends in the highest code point).
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const chars = Array.from(prefix)
  while (chars.length > 0) {
    const last = chars.pop() as string
    let code = (last.codePointAt(0) as number) + 1
    if (code >= 0xd800 && code <= 0xdfff) code = 0xe000
    if (code <= 0x10ffff) return chars.join('') + String.fromCodePoint(code)
  }
  return undefined
}
