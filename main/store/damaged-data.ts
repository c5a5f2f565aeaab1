/**
 * A damaged data folder: a foreign or truncated `cos-local.db`, a malformed `app-state.json`.
 * COS Local never repairs or overwrites such a file by itself; it stops with a message that
 * names the file, says what is wrong and gives the ways out (keep the file aside and start
 * fresh, or put back a snapshot of the folder).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { basename, dirname } from 'node:path'

export class DataFolderError extends Error {
  readonly file: string
  readonly problem: string

  constructor(file: string, problem: string, aside: string[] = [file]) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    const moves = aside
      .filter((path) => path === file || existsSync(path))
      .map((path) => `mv '${path}' '${path}.damaged-${stamp}'`)
    super(
      `${file} is damaged: ${problem}.\n` +
        'COS Local has not changed it. Either:\n' +
        `  - keep it aside and start fresh (${freshMeaning(file)}):\n` +
        moves.map((line) => `      ${line}\n`).join('') +
        `  - or restore the data folder ${dirname(file)} from a snapshot or backup you made earlier\n` +
        `    (a snapshot zip: move the folder aside, then cos-local snapshot load FILE --data ${dirname(file)}).`
    )
    this.name = 'DataFolderError'
    this.file = file
    this.problem = problem
  }
}

function freshMeaning(file: string): string {
  return basename(file) === 'app-state.json'
    ? 'functions and triggers start empty; objects stay'
    : 'buckets, objects and queued events start empty; functions and triggers stay'
}

const SQLITE_MAGIC = 'SQLite format 3\0'

/**
 * Check the database file's header before SQLite opens it: a foreign file (not an SQLite
 * database) or one shorter than its header says (truncated; judged only when no WAL can
 * still complete it). Returns undefined when the file is absent or looks whole.
 */
export function databaseFileProblem(path: string): string | undefined {
  if (!existsSync(path)) return undefined
  const size = statSync(path).size
  if (size === 0) return undefined // SQLite treats an empty file as a new database
  const header = Buffer.alloc(100)
  const fd = openSync(path, 'r')
  let read: number
  try {
    read = readSync(fd, header, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  const head = header.subarray(0, Math.min(read, 16)).toString('latin1')
  if (head !== SQLITE_MAGIC.slice(0, head.length))
    return `it is not an SQLite database (its first bytes are ${describeBytes(header.subarray(0, head.length))})`
  if (read < 100) return `it is truncated (${size} bytes, shorter than an SQLite header)`
  const rawPageSize = header.readUInt16BE(16)
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
  const pages = header.readUInt32BE(28)
  const valid = header.readUInt32BE(24) === header.readUInt32BE(92)
  const walSize = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0
  if (valid && pages > 0 && walSize === 0 && size < pages * pageSize) {
    return `it is truncated (${size} bytes; its header counts ${pages} pages of ${pageSize} bytes = ${pages * pageSize} bytes)`
  }
  return undefined
}

function describeBytes(bytes: Buffer): string {
  const text = bytes.toString('latin1')
  return /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `0x${bytes.toString('hex')}`
}

/** SQLite's own verdict on a damaged file, in words (undefined for other errors). */
export function databaseErrorProblem(error: unknown): string | undefined {
  const code = String((error as { code?: unknown })?.code ?? '')
  const message = error instanceof Error ? error.message : String(error)
  if (code.startsWith('SQLITE_NOTADB') || /file is not a database/i.test(message))
    return 'it is not an SQLite database (SQLite: "file is not a database")'
  if (code.startsWith('SQLITE_CORRUPT') || /malformed|corrupt/i.test(message))
    return `its contents are corrupt (SQLite: "${message}")`
  return undefined
}
