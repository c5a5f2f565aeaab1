/**
 * The hashing thread (see hash-writer.ts). For each upload (`id`) it writes the batches it
 * is sent to the temp file, in order, and feeds them to an MD5 hash meanwhile: the disk
 * write runs in the thread pool while this thread hashes, and neither runs on the event
 * loop. The bundler emits it as its own entry (out/main/hash-writer-worker.js); from
 * source, hash-writer.ts starts it through tsx.
 *
 * Messages in:  open {id, path} · data {id, buffers, bytes} · end {id, fsync} · abort {id}
 * Messages out: written {id, bytes} · done {id, md5} · failed {id, message, code}
 * A batch's buffers are freed as soon as they are written (free-now.ts): the main thread's
 * heap then holds only the bytes in flight, not every chunk since its last collection.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, writev } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { freeNow } from './free-now.ts'

export type HashWriterRequest =
  | { type: 'open'; id: number; path: string }
  | { type: 'data'; id: number; buffers: ArrayBuffer[]; bytes: number }
  | { type: 'end'; id: number; fsync: boolean }
  | { type: 'abort'; id: number }

export type HashWriterReply =
  | { type: 'written'; id: number; bytes: number }
  | { type: 'done'; id: number; md5: string }
  | { type: 'failed'; id: number; message: string; code?: string }

interface Upload {
  hash: Hash
  fd: number
  chain: Promise<void>
  failed: boolean
}

const uploads = new Map<number, Upload>()
const port = parentPort
if (port) port.on('message', onMessage)

function reply(message: HashWriterReply): void {
  port?.postMessage(message)
}

function writeAll(fd: number, views: Uint8Array[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (error: NodeJS.ErrnoException | null, written: number): void => {
      if (error) return reject(error)
      while (views.length > 0 && written >= views[0]!.length) written -= views.shift()!.length
      if (views.length === 0) return resolve()
      views[0] = views[0]!.subarray(written)
      writev(fd, views, next)
    }
    next(null, 0)
  })
}

function fail(id: number, upload: Upload, error: unknown): void {
  if (upload.failed) return
  upload.failed = true
  const { message, code } = (error ?? {}) as NodeJS.ErrnoException
  reply({ type: 'failed', id, message: String(message), code })
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // already closed, or never opened
  }
}

function onMessage(message: HashWriterRequest): void {
  const { id } = message
  if (message.type === 'open') {
    const upload: Upload = { hash: createHash('md5'), fd: -1, chain: Promise.resolve(), failed: false }
    uploads.set(id, upload)
    try {
      upload.fd = openSync(message.path, 'w')
    } catch (error) {
      fail(id, upload, error)
    }
    return
  }
  const upload = uploads.get(id)
  if (!upload) return
  if (message.type === 'data') {
    const views = message.buffers.map((buffer) => new Uint8Array(buffer))
    if (!upload.failed) {
      upload.chain = upload.chain.then(() => writeAll(upload.fd, views.slice()))
      for (const view of views) upload.hash.update(view)
    }
    upload.chain
      .then(() => reply({ type: 'written', id, bytes: message.bytes }))
      .catch((error: unknown) => fail(id, upload, error))
      .finally(() => freeNow(message.buffers))
  } else if (message.type === 'end') {
    upload.chain
      .then(() => {
        if (message.fsync) fsyncSync(upload.fd)
        closeSync(upload.fd)
        uploads.delete(id)
        if (!upload.failed) reply({ type: 'done', id, md5: upload.hash.digest('hex') })
      })
      .catch((error: unknown) => {
        fail(id, upload, error)
        closeQuietly(upload.fd)
        uploads.delete(id)
      })
  } else {
    upload.failed = true
    uploads.delete(id)
    void upload.chain.catch(() => undefined).then(() => closeQuietly(upload.fd))
  }
}
