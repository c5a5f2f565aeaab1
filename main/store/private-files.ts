/**
 * Files only this user may read: the data folder (0700 when COS Local creates it) and files
 * holding a token or credential (instance.json, app-state.json with function environments),
 * created 0600 from the start (open with the mode, never chmod after a world-readable write)
 * under a temp name and renamed into place, so a reader never sees half a file.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export const PRIVATE_FILE_MODE = 0o600
export const PRIVATE_DIR_MODE = 0o700

/** Create the data folder 0700 when missing (its parents keep the usual mode); leave an existing one as it is. */
export function ensureDataDir(dir: string): void {
  if (existsSync(dir)) return
  mkdirSync(dirname(dir), { recursive: true })
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

/** Write `text` to `path` atomically, the new file created with mode 0600. */
export function writeSecretFile(path: string, text: string, options: { fsync?: boolean } = {}): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  rmSync(temp, { force: true }) // a leftover keeps its old mode if opened with 'w'
  const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE)
  try {
    writeSync(fd, text)
    if (options.fsync) fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, { force: true })
    throw error
  }
  closeSync(fd)
  renameSync(temp, path)
}
