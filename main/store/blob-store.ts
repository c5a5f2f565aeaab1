/**
 * Object bytes on disk, named by generated id (never by key): `<data>/blobs/<2 chars>/<id>`.
 * A blob is written to `<data>/tmp/` while its MD5 is computed in the same streaming pass,
 * then renamed into place (fsynced with its directory when asked), so a blob file is
 * either complete or absent. Temp files left by a crash are swept when the store opens.
 */
import { createHash, randomUUID } from 'node:crypto'
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  type ReadStream
} from 'node:fs'
import { copyFile, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export interface WrittenBlob {
  id: string
  size: number
  /** Hex MD5 of the bytes. */
  md5: string
}

/**
 * Bodies announced at most this long are collected in memory and written with
 * synchronous calls (a few tens of microseconds), saving the thread-pool round trips of
 * a stream; larger bodies always stream. Not used under fsync, whose flushes must not
 * block the event loop.
 */
export const SMALL_BLOB_BYTES = 64 * 1024

export interface BlobStore {
  /**
   * Stream `source` into a new blob; `check` may reject it (size, digest) before it is placed.
   * On any error the temp file is removed and nothing is left. `sizeHint` is the announced length.
   */
  write(
    source: Readable | AsyncIterable<Uint8Array>,
    check?: (blob: WrittenBlob) => void,
    sizeHint?: number
  ): Promise<WrittenBlob>
  /** The whole content of a small blob, read synchronously; throws ENOENT when removed. */
  readSmall(id: string): Buffer
  /** A new blob with the same bytes (server-side copy). */
  copy(sourceId: string): Promise<string>
  /** A new blob made of several blobs in order, with the MD5 of the whole. */
  concat(ids: string[]): Promise<WrittenBlob>
  /** Open for reading; rejects with ENOENT when the blob has been removed meanwhile. */
  open(id: string): Promise<FileHandle>
  /** A read stream of a byte range (inclusive end) of a blob. */
  readRange(id: string, start: number, end: number): ReadStream
  /** Remove blobs no longer referenced (after the metadata commit); errors are ignored. */
  remove(ids: Iterable<string>): void
  path(id: string): string
  readonly tmpDir: string
  readonly blobDir: string
}

export function createBlobStore(dataDir: string, options: { fsync: boolean }): BlobStore {
  const blobDir = join(dataDir, 'blobs')
  const tmpDir = join(dataDir, 'tmp')
  mkdirSync(blobDir, { recursive: true })
  sweepTemp(tmpDir)
  const knownDirs = new Set<string>()

  const path = (id: string): string => join(blobDir, id.slice(0, 2), id)

  async function ensureDir(id: string): Promise<string> {
    const dir = join(blobDir, id.slice(0, 2))
    if (!knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true })
      knownDirs.add(dir)
    }
    return dir
  }

  async function place(tmp: string, id: string): Promise<void> {
    const dir = await ensureDir(id)
    await rename(tmp, join(dir, id))
    if (options.fsync) await fsyncDir(dir)
  }

  function ensureDirSync(id: string): string {
    const dir = join(blobDir, id.slice(0, 2))
    if (!knownDirs.has(dir)) {
      mkdirSync(dir, { recursive: true })
      knownDirs.add(dir)
    }
    return dir
  }

  async function writeSmall(
    source: Readable | AsyncIterable<Uint8Array>,
    check?: (blob: WrittenBlob) => void
  ): Promise<WrittenBlob> {
    const chunks: Uint8Array[] = []
    for await (const chunk of source) chunks.push(chunk as Uint8Array)
    const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks)
    const blob = { id: newId(), size: bytes.length, md5: createHash('md5').update(bytes).digest('hex') }
    check?.(blob)
    const tmp = join(tmpDir, `${blob.id}.tmp`)
    try {
      writeFileSync(tmp, bytes)
      renameSync(tmp, join(ensureDirSync(blob.id), blob.id))
    } catch (error) {
      rmSync(tmp, { force: true })
      throw error
    }
    return blob
  }

  async function write(
    source: Readable | AsyncIterable<Uint8Array>,
    check?: (blob: WrittenBlob) => void,
    sizeHint?: number
  ): Promise<WrittenBlob> {
    if (sizeHint !== undefined && sizeHint <= SMALL_BLOB_BYTES && !options.fsync) return writeSmall(source, check)
    const id = newId()
    const tmp = join(tmpDir, `${id}.tmp`)
    const hash = createHash('md5')
    let size = 0
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            hash.update(chunk)
            size += chunk.length
            yield chunk
          }
        },
        createWriteStream(tmp, { flush: options.fsync, highWaterMark: 1024 * 1024 })
      )
      const blob = { id, size, md5: hash.digest('hex') }
      check?.(blob)
      await place(tmp, id)
      return blob
    } catch (error) {
      await unlink(tmp).catch(() => undefined)
      throw error
    }
  }

  async function copy(sourceId: string): Promise<string> {
    const id = newId()
    const tmp = join(tmpDir, `${id}.tmp`)
    try {
      await copyFile(path(sourceId), tmp)
      if (options.fsync) await fsyncFile(tmp)
      await place(tmp, id)
      return id
    } catch (error) {
      await unlink(tmp).catch(() => undefined)
      throw error
    }
  }

  async function concat(ids: string[]): Promise<WrittenBlob> {
    async function* chunks(): AsyncIterable<Uint8Array> {
      for (const part of ids) {
        for await (const chunk of createReadStream(path(part), { highWaterMark: 1024 * 1024 })) {
          yield chunk as Buffer
        }
      }
    }
    return write(chunks())
  }

  return {
    write,
    copy,
    concat,
    open: (id) => open(path(id), 'r'),
    readSmall: (id) => readFileSync(path(id)),
    readRange: (id, start, end) => createReadStream(path(id), { start, end }),
    remove(ids) {
      for (const id of ids) unlink(path(id)).catch(() => undefined)
    },
    path,
    tmpDir,
    blobDir
  }
}

function newId(): string {
  return randomUUID().replaceAll('-', '')
}

function sweepTemp(tmpDir: string): void {
  mkdirSync(tmpDir, { recursive: true })
  for (const name of readdirSync(tmpDir)) rmSync(join(tmpDir, name), { force: true, recursive: true })
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
