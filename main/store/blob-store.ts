/**
 * Object bytes, named by generated id (never by key). A body of at most INLINE_MAX_BYTES
 * written with `inline: true` becomes an inline blob: its bytes come back with the
 * WrittenBlob and the caller inserts them with the metadata (see inline-blobs.ts). Larger
 * bodies become blob files `<data>/blobs/<2 chars>/<id>`: written to `<data>/tmp/` while
 * the MD5 is computed in the same streaming pass, then renamed into place (fsynced with
 * its directory when asked), so a blob file is either complete or absent. Temp files left
 * by a crash are swept when the store opens.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { copyFile, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createHashWriter } from './hash-writer.ts'
import { INLINE_MAX_BYTES, isInlineBlobId, newInlineBlobId, type InlineBlobs } from './inline-blobs.ts'

/** Bodies of at least this size (or of unknown size) are hashed on a second thread (hash-writer.ts). */
const HASH_THREAD_MIN_BYTES = 1024 * 1024

export interface WrittenBlob {
  id: string
  size: number
  /** Hex MD5 of the bytes. */
  md5: string
  /** An inline blob's bytes, to insert in the transaction that commits the blob's reference. */
  inline?: Buffer
}

/** A new blob made by copying one: a file, or inline bytes to insert like WrittenBlob's. */
export interface CopiedBlob {
  id: string
  inline?: Buffer
}

export interface WriteOptions {
  /** May reject the blob (size, digest) before it is placed. */
  check?: (blob: WrittenBlob) => void
  /** The announced length, when known. */
  sizeHint?: number
  /** Keep a body of at most INLINE_MAX_BYTES inline (see inline-blobs.ts). */
  inline?: boolean
}

/** Objects at most this long are served from memory (GET reads them at once). */
export const SMALL_BLOB_BYTES = 64 * 1024

export interface BlobStore {
  /** Write `source` into a new blob. On any error nothing is left behind. */
  write(source: Readable | AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<WrittenBlob>
  /** The whole content of a small blob, read synchronously; throws ENOENT when removed. */
  readSmall(id: string): Buffer
  /** A new blob with the same bytes (server-side copy). */
  copy(sourceId: string): Promise<CopiedBlob>
  /** A new blob file made of several blobs in order, with the MD5 of the whole. */
  concat(ids: string[]): Promise<WrittenBlob>
  /** Open a blob file for reading; rejects with ENOENT when removed meanwhile. */
  open(id: string): Promise<FileHandle>
  /** The bytes start..end (inclusive) of any blob; rejects with ENOENT when removed meanwhile. */
  openRange(id: string, start: number, end: number): Promise<Readable>
  /**
   * Remove blob files no longer referenced (after the metadata commit); errors are ignored.
   * Inline ids are skipped: their rows go in the commit that drops them.
   */
  remove(ids: Iterable<string>): void
  /** Stop the hashing thread (a later write starts it again). */
  close(): Promise<void>
  path(id: string): string
  readonly tmpDir: string
  readonly blobDir: string
}

export function createBlobStore(dataDir: string, opts: { fsync: boolean; inline: InlineBlobs }): BlobStore {
  const blobDir = join(dataDir, 'blobs')
  const tmpDir = join(dataDir, 'tmp')
  mkdirSync(blobDir, { recursive: true })
  sweepTemp(tmpDir)
  const knownDirs = new Set<string>()
  const hashWriter = createHashWriter()

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
    if (opts.fsync) await fsyncDir(dir)
  }

  async function write(
    source: Readable | AsyncIterable<Uint8Array>,
    { check, sizeHint, inline = false }: WriteOptions = {}
  ): Promise<WrittenBlob> {
    // chunks of an HTTP body are fresh copies made by node's parser: no one else holds them
    const ownChunks = source instanceof IncomingMessage
    if (!inline || (sizeHint !== undefined && sizeHint > INLINE_MAX_BYTES)) {
      return writeFile(source, { check, sizeHint, ownChunks })
    }
    const head = await readUpTo(source, INLINE_MAX_BYTES)
    if (head.rest) return writeFile(head.rest, { check, ownChunks })
    const bytes = head.bytes
    const blob = { id: newInlineBlobId(), size: bytes.length, md5: md5Of(bytes), inline: bytes }
    check?.(blob)
    return blob
  }

  async function writeFile(
    source: Readable | AsyncIterable<Uint8Array>,
    options: { check?: (blob: WrittenBlob) => void; sizeHint?: number; ownChunks?: boolean }
  ): Promise<WrittenBlob> {
    const id = newId()
    const tmp = join(tmpDir, `${id}.tmp`)
    try {
      const small = options.sizeHint !== undefined && options.sizeHint < HASH_THREAD_MIN_BYTES
      const written = small
        ? await writeHere(source, tmp)
        : await hashWriter.write(source, tmp, { fsync: opts.fsync, transfer: options.ownChunks === true })
      const blob = { id, size: written.size, md5: written.md5 }
      options.check?.(blob)
      await place(tmp, id)
      return blob
    } catch (error) {
      await unlink(tmp).catch(() => undefined)
      throw error
    }
  }

  /** Write and hash on this thread: cheaper than a hand-over for bodies below a MiB. */
  async function writeHere(
    source: Readable | AsyncIterable<Uint8Array>,
    tmp: string
  ): Promise<{ size: number; md5: string }> {
    const hash = createHash('md5')
    let size = 0
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          hash.update(chunk)
          size += chunk.length
          yield chunk
        }
      },
      createWriteStream(tmp, { flush: opts.fsync, highWaterMark: 1024 * 1024 })
    )
    return { size, md5: hash.digest('hex') }
  }

  function inlineBytes(id: string): Buffer {
    const bytes = opts.inline.get(id)
    if (!bytes) throw missing(id)
    return bytes
  }

  async function copy(sourceId: string): Promise<CopiedBlob> {
    if (isInlineBlobId(sourceId)) return { id: newInlineBlobId(), inline: inlineBytes(sourceId) }
    const id = newId()
    const tmp = join(tmpDir, `${id}.tmp`)
    try {
      await copyFile(path(sourceId), tmp)
      if (opts.fsync) await fsyncFile(tmp)
      await place(tmp, id)
      return { id }
    } catch (error) {
      await unlink(tmp).catch(() => undefined)
      throw error
    }
  }

  async function openRange(id: string, start: number, end: number): Promise<Readable> {
    if (isInlineBlobId(id)) return Readable.from([inlineBytes(id).subarray(start, end + 1)])
    const handle = await open(path(id), 'r')
    return handle.createReadStream({ start, end, highWaterMark: 1024 * 1024 })
  }

  async function concat(ids: string[]): Promise<WrittenBlob> {
    async function* chunks(): AsyncIterable<Uint8Array> {
      for (const part of ids) {
        for await (const chunk of await openRange(part, 0, Number.MAX_SAFE_INTEGER)) yield chunk as Buffer
      }
    }
    return writeFile(chunks(), {})
  }

  return {
    write,
    copy,
    concat,
    open: (id) => open(path(id), 'r'),
    openRange,
    readSmall: (id) => (isInlineBlobId(id) ? inlineBytes(id) : readFileSync(path(id))),
    remove(ids) {
      for (const id of ids) if (!isInlineBlobId(id)) unlink(path(id)).catch(() => undefined)
    },
    close: () => hashWriter.close(),
    path,
    tmpDir,
    blobDir
  }
}

function newId(): string {
  return randomUUID().replaceAll('-', '')
}

function md5Of(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex')
}

function missing(id: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: blob ${id} is gone`), { code: 'ENOENT' })
}

/**
 * Read `source` until it ends or passes `limit` bytes: its bytes if it ended, otherwise
 * `rest`, the whole stream (what was read, then the remainder) for streaming on.
 */
async function readUpTo(
  source: Readable | AsyncIterable<Uint8Array>,
  limit: number
): Promise<{ bytes: Buffer; rest?: undefined } | { bytes?: undefined; rest: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]()
  const head: Uint8Array[] = []
  let size = 0
  for (;;) {
    const next = await iterator.next()
    if (next.done) {
      const first = head[0]
      const bytes = head.length === 1 && Buffer.isBuffer(first) ? first : Buffer.concat(head)
      return { bytes }
    }
    const chunk = next.value as Uint8Array
    head.push(chunk)
    size += chunk.length
    if (size > limit) break
  }
  async function* rest(): AsyncIterable<Uint8Array> {
    try {
      yield* head
      for (;;) {
        const next = await iterator.next()
        if (next.done) return
        yield next.value as Uint8Array
      }
    } finally {
      await iterator.return?.() // stopped early (an error downstream): release the source
    }
  }
  return { rest: rest() }
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
