/**
 * The Range header of GET Object (RFC 9110 byte ranges as S3/COS apply them): one range
 * in any of its forms is served as 206; an unsatisfiable one is 416 InvalidRange; a
 * header that does not parse, or asks for several ranges, is ignored (whole object, 200).
 */

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' }

const SINGLE = /^bytes=(\d*)-(\d*)$/

export function evaluateRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' }
  const match = SINGLE.exec(header.trim().replace(/\s+/g, ''))
  if (!match) return { kind: 'full' }
  const [, first = '', second = ''] = match
  if (first === '' && second === '') return { kind: 'full' }
  if (first === '') {
    const suffix = Number(second)
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  if (second !== '' && Number(second) < start) return { kind: 'full' }
  if (start >= size) return { kind: 'unsatisfiable' }
  const end = second === '' ? size - 1 : Math.min(Number(second), size - 1)
  return { kind: 'partial', start, end }
}

/** `bytes start-end/size` for Content-Range. */
export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`
}
