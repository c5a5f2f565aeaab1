/**
 * Online code editing: list, read and write the files of a function's code folder. Paths are
 * relative (`/`-separated) and must stay inside the folder; reads refuse binary and big files.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync
} from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { CosError } from '../core/cos/errors.ts'

export const MAX_CODE_FILES = 500
export const MAX_CODE_FILE_BYTES = 1024 * 1024
const SKIPPED = new Set(['node_modules', '.git', '__pycache__', '.DS_Store'])

export interface CodeFileEntry {
  path: string
  size: number
}

/** The files under `root` (sorted, node_modules and .git skipped, at most MAX_CODE_FILES). */
export function listCodeFiles(root: string): { files: CodeFileEntry[]; truncated: boolean } {
  const files: CodeFileEntry[] = []
  let truncated = false
  const walk = (dir: string): void => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    entries.sort((a, b) => a.name.localeCompare(b.name))
    for (const entry of entries) {
      if (truncated) return
      if (SKIPPED.has(entry.name)) continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) {
        if (files.length >= MAX_CODE_FILES) {
          truncated = true
          return
        }
        files.push({ path: relative(root, full).split(sep).join('/'), size: statSync(full).size })
      }
    }
  }
  walk(root)
  return { files, truncated }
}

/** The absolute path of `path` inside `root`, or a clear error when it would leave it. */
export function resolveCodePath(root: string, path: string): string {
  const bad = (why: string): never => {
    throw new CosError('InvalidParameterValue', `Invalid code file path ${JSON.stringify(path)}: ${why}`, {
      status: 400
    })
  }
  if (path.includes('\0')) bad('it contains a NUL character')
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path)) bad('it must be relative')
  const parts = path.split(/[\\/]/)
  if (parts.some((part) => part === '..')) bad('".." is not allowed')
  if (parts.some((part) => part === '' || part === '.')) bad('it has an empty or "." part')
  if ([...path].some((char) => char.charCodeAt(0) < 0x20)) bad('it contains a control character')
  if (parts.some((part) => SKIPPED.has(part))) bad('that folder is not editable')
  const base = resolve(root)
  const full = resolve(base, path)
  if (full === base || !full.startsWith(base + sep)) bad('it is outside the code folder')
  return full
}

export function readCodeFile(root: string, path: string): { path: string; content: string; size: number } {
  const full = resolveCodePath(root, path)
  let stat
  try {
    stat = statSync(full)
  } catch {
    throw new CosError('ResourceNotFound.File', `No code file ${JSON.stringify(path)}`, { status: 404 })
  }
  if (!stat.isFile()) throw new CosError('InvalidParameterValue', `${path} is not a file`, { status: 400 })
  if (stat.size > MAX_CODE_FILE_BYTES) {
    throw new CosError(
      'InvalidParameterValue',
      `${path} is ${stat.size} bytes; the editor opens files up to ${MAX_CODE_FILE_BYTES} bytes`,
      { status: 400 }
    )
  }
  const bytes = readFileSync(full)
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  if (bytes.includes(0) || text.includes('\uFFFD')) {
    throw new CosError('InvalidParameterValue', `${path} is a binary file; the editor opens text files only`, {
      status: 400
    })
  }
  return { path, content: text, size: stat.size }
}

/** Write `content` to `path` inside `root` (temp file + fsync + rename: survives kill -9). */
export function writeCodeFile(root: string, path: string, content: string): { path: string; size: number } {
  const full = resolveCodePath(root, path)
  const bytes = Buffer.from(content, 'utf8')
  if (bytes.length > MAX_CODE_FILE_BYTES) {
    throw new CosError('InvalidParameterValue', `The file is bigger than ${MAX_CODE_FILE_BYTES} bytes`, {
      status: 400
    })
  }
  mkdirSync(dirname(full), { recursive: true })
  const temp = `${full}.cos-local-${process.pid}.tmp`
  const fd = openSync(temp, 'w')
  try {
    writeSync(fd, bytes)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, full)
  return { path, size: bytes.length }
}

function requireFile(full: string, path: string): void {
  let stat
  try {
    stat = statSync(full)
  } catch {
    throw new CosError('ResourceNotFound.File', `No code file ${JSON.stringify(path)}`, { status: 404 })
  }
  if (!stat.isFile()) throw new CosError('InvalidParameterValue', `${path} is not a file`, { status: 400 })
}

function refuseExisting(full: string, path: string): void {
  if (existsSync(full)) {
    throw new CosError('ResourceInUse.File', `${path} already exists; choose another name`, { status: 409 })
  }
}

/** Removes the folders a delete or a rename left empty, up to (not including) `root`. */
function pruneEmptyFolders(root: string, full: string): void {
  const base = resolve(root)
  for (let dir = dirname(full); dir !== base && dir.startsWith(base + sep); dir = dirname(dir)) {
    try {
      if (readdirSync(dir).length > 0) return
      rmdirSync(dir)
    } catch {
      return
    }
  }
}

/** A new file (folders made as needed); refuses a name that exists. */
export function createCodeFile(root: string, path: string, content = ''): { path: string; size: number } {
  refuseExisting(resolveCodePath(root, path), path)
  return writeCodeFile(root, path, content)
}

/** Renames (or moves, when the folder part changes) a file; refuses a target that exists. */
export function moveCodeFile(root: string, from: string, to: string): { path: string; size: number } {
  const source = resolveCodePath(root, from)
  const target = resolveCodePath(root, to)
  requireFile(source, from)
  if (source === target) return { path: to, size: statSync(source).size }
  refuseExisting(target, to)
  mkdirSync(dirname(target), { recursive: true })
  renameSync(source, target)
  pruneEmptyFolders(root, source)
  return { path: to, size: statSync(target).size }
}

export function deleteCodeFile(root: string, path: string): void {
  const full = resolveCodePath(root, path)
  requireFile(full, path)
  unlinkSync(full)
  pruneEmptyFolders(root, full)
}
