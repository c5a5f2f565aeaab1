/**
 * A small zip reader (no external `unzip`): walks the central directory and inflates
 * stored (0) and deflated (8) entries with node:zlib. Rejects what it cannot read safely:
 * zip64, encryption, paths escaping the target folder, and archives over a size limit.
 */
import { inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  /** Relative path with forward slashes; directories end with '/'. */
  path: string
  data: Buffer
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

export class ZipError extends Error {}

export function readZip(zip: Buffer, maxTotalBytes = 512 * 1024 * 1024): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(zip)
  const count = zip.readUInt16LE(eocd + 10)
  let offset = zip.readUInt32LE(eocd + 16)
  if (count === 0xffff || offset === 0xffffffff) throw new ZipError('zip64 archives are not supported')
  const entries: ZipEntry[] = []
  let total = 0
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL)
      throw new ZipError('corrupt zip: bad central directory')
    const flags = zip.readUInt16LE(offset + 8)
    const method = zip.readUInt16LE(offset + 10)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const size = zip.readUInt32LE(offset + 24)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const localOffset = zip.readUInt32LE(offset + 42)
    const path = zip
      .toString(flags & 0x800 ? 'utf8' : 'latin1', offset + 46, offset + 46 + nameLength)
      .replace(/\\/g, '/')
    offset += 46 + nameLength + extraLength + commentLength
    if (flags & 0x1) throw new ZipError(`encrypted entries are not supported (${path})`)
    checkPath(path)
    total += size
    if (total > maxTotalBytes) throw new ZipError(`zip expands to more than ${maxTotalBytes} bytes`)
    if (path.endsWith('/')) {
      entries.push({ path, data: Buffer.alloc(0) })
      continue
    }
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL)
      throw new ZipError(`corrupt zip: bad local header (${path})`)
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28)
    const raw = zip.subarray(dataStart, dataStart + compressedSize)
    let data: Buffer
    if (method === 0) data = Buffer.from(raw)
    else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) })
    else throw new ZipError(`compression method ${method} is not supported (${path}); use deflate`)
    if (data.length !== size) throw new ZipError(`corrupt zip: ${path} has ${data.length} bytes, expected ${size}`)
    entries.push({ path, data })
  }
  return entries
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff)
  for (let i = zip.length - 22; i >= stop; i--) {
    if (zip.readUInt32LE(i) === EOCD) return i
  }
  throw new ZipError('not a zip file (no end of central directory)')
}

function checkPath(path: string): void {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..') || path.includes('\0')) {
    throw new ZipError(`unsafe path in zip: ${JSON.stringify(path)}`)
  }
}
