/**
 * Complete Multipart Upload rules: the request lists parts in strictly ascending order
 * (InvalidPartOrder), each names an uploaded part with its ETag (InvalidPart), every part
 * but the last is at least 1 MiB (EntityTooSmall). The object's ETag is the MD5 of the
 * parts' binary MD5s followed by `-<count>`.
 */
import { CosError } from './errors.ts'

export const MIN_PART_SIZE = 1024 * 1024
export const MAX_PART_NUMBER = 10000

export interface RequestedPart {
  partNumber: number
  etag: string
}

export interface StoredPart {
  partNumber: number
  /** Hex MD5 without quotes. */
  etag: string
  size: number
}

/** Strip quotes (and a W/ prefix) from an ETag as clients send it back. */
export function normalizeEtag(etag: string): string {
  let tag = etag.trim()
  if (tag.startsWith('W/')) tag = tag.slice(2)
  if (tag.startsWith('&quot;') && tag.endsWith('&quot;')) tag = tag.slice(6, -6)
  if (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"')) tag = tag.slice(1, -1)
  return tag.toLowerCase()
}

/** The stored parts the object is made of, in order; throws the COS error otherwise. */
export function selectCompletedParts<P extends StoredPart>(requested: RequestedPart[], stored: Map<number, P>): P[] {
  if (requested.length === 0) {
    throw new CosError('MalformedXML', 'The CompleteMultipartUpload request lists no parts.')
  }
  const chosen: P[] = []
  let previous = 0
  for (const part of requested) {
    if (!Number.isInteger(part.partNumber) || part.partNumber < 1 || part.partNumber > MAX_PART_NUMBER) {
      throw new CosError('InvalidPart', `Part number ${part.partNumber} is not valid.`)
    }
    if (part.partNumber <= previous) {
      throw new CosError('InvalidPartOrder', 'The list of parts was not in ascending order.')
    }
    previous = part.partNumber
    const found = stored.get(part.partNumber)
    if (!found || found.etag !== normalizeEtag(part.etag)) {
      throw new CosError(
        'InvalidPart',
        `Part ${part.partNumber} was not uploaded, or its ETag does not match the one given.`
      )
    }
    chosen.push(found)
  }
  for (let i = 0; i < chosen.length - 1; i++) {
    const part = chosen[i] as P
    if (part.size < MIN_PART_SIZE) {
      throw new CosError(
        'EntityTooSmall',
        `Part ${part.partNumber} is ${part.size} bytes; every part but the last must be at least ${MIN_PART_SIZE} bytes.`
      )
    }
  }
  return chosen
}

/** `<md5 of the concatenated binary part MD5s>-<count>`; `md5` hashes bytes to hex. */
export function multipartEtag(partEtags: string[], md5: (bytes: Uint8Array) => string): string {
  const bytes = new Uint8Array(partEtags.length * 16)
  partEtags.forEach((hex, index) => {
    for (let i = 0; i < 16; i++) bytes[index * 16 + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  })
  return `${md5(bytes)}-${partEtags.length}`
}

/** Parse a part number query value (1..10000); undefined when invalid. */
export function parsePartNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d{1,5}$/.test(value)) return undefined
  const n = Number(value)
  return n >= 1 && n <= MAX_PART_NUMBER ? n : undefined
}
