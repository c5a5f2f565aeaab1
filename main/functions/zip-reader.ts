/**
 * Reading a function's zip package with fflate (stored and deflated entries), within
 * limits checked before anything is inflated: paths that would escape the target folder,
 * the total expanded size, and the number of entries. fflate never inflates an entry past
 * its declared size, so the size limit also bounds what a lying archive can expand to.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate'

export interface ZipEntry {
  /** Relative path with forward slashes; directories end with '/'. */
  path: string
  data: Buffer
}

export interface ZipLimits {
  /** Sum of the entries' expanded sizes (default 512 MiB). */
  maxTotalBytes?: number
  /** Entries, folders included (default 100,000). */
  maxEntries?: number
}

export class ZipError extends Error {}

const DEFAULT_MAX_TOTAL_BYTES = 512 * 1024 * 1024
const DEFAULT_MAX_ENTRIES = 100_000

export function readZip(zip: Uint8Array, limits: ZipLimits = {}): ZipEntry[] {
  const maxTotalBytes = limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES
  const names: string[] = []
  let total = 0
  const check = (file: UnzipFileInfo): boolean => {
    checkPath(file.name.replace(/\\/g, '/'))
    if (names.length >= maxEntries) throw new ZipError(`zip has more than ${maxEntries} entries`)
    total += file.originalSize
    if (total > maxTotalBytes) throw new ZipError(`zip expands to more than ${maxTotalBytes} bytes`)
    names.push(file.name)
    return true
  }
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(zip, { filter: check })
  } catch (error) {
    if (error instanceof ZipError) throw error
    throw new ZipError(describe(error))
  }
  return names.map((name) => {
    const data = files[name] ?? new Uint8Array()
    return { path: name.replace(/\\/g, '/'), data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }
  })
}

/** fflate's errors carry a numeric code; say what they mean for a zip upload. */
function describe(error: unknown): string {
  const { code, message } = error as { code?: number; message?: string }
  if (code === 13) return 'not a zip file (no end of central directory)'
  if (code === 14) return `${message ?? 'unknown compression type'}; use deflate`
  return `corrupt zip: ${message ?? String(error)}`
}

function checkPath(path: string): void {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..') || path.includes('\0')) {
    throw new ZipError(`unsafe path in zip: ${JSON.stringify(path)}`)
  }
}
