/**
 * Writes a large stream to a file and computes its MD5 on a second thread. MD5 runs at
 * about the speed the HTTP server reads a socket, so doing both on the event loop halves
 * a big upload's speed; here the event loop only collects the body's chunks into ~1 MiB
 * batches and hands them over, while the worker (hash-writer-worker.ts) hashes each batch
 * and has the thread pool write it.
 *
 * Backpressure: at most MAX_IN_FLIGHT bytes per upload are handed over and not yet written;
 * past that, reading the source waits, so memory stays bounded whatever the body size.
 * One worker serves every upload (each with its own hash); it starts on first use and
 * stops after a while without uploads.
 */
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { HashWriterReply } from './hash-writer-worker.ts'
import { largeTransfers } from './large-transfers.ts'

const BATCH_BYTES = 1024 * 1024
const MAX_IN_FLIGHT = 4 * 1024 * 1024
const IDLE_STOP_MS = 10_000

export interface HashWriter {
  /**
   * Write `source` to a new file at `path` (fsynced when asked); resolves with its size and
   * hex MD5. `transfer`: the chunks belong to nobody else (an HTTP request body, whose
   * chunks node's parser copies fresh), so they are handed to the worker without a copy.
   * On failure the file may exist: the caller removes it.
   */
  write(
    source: AsyncIterable<Uint8Array>,
    path: string,
    options: { fsync: boolean; transfer: boolean }
  ): Promise<{ size: number; md5: string }>
  /** Stop the worker (uploads still running fail). */
  close(): Promise<void>
}

interface Upload {
  inFlight: number
  error?: Error
  /** Wakes the reader waiting for in-flight bytes to drop, or for the end. */
  wake?: () => void
  /** Stops reading the source when the upload fails. */
  stop?: () => void
  md5?: string
}

export function createHashWriter(): HashWriter {
  let worker: Worker | undefined
  let idleTimer: NodeJS.Timeout | undefined
  const uploads = new Map<number, Upload>()
  let nextId = 1

  function onMessage(message: HashWriterReply): void {
    const upload = uploads.get(message.id)
    if (!upload) return
    if (message.type === 'written') upload.inFlight -= message.bytes
    else if (message.type === 'done') upload.md5 = message.md5
    else fail(upload, Object.assign(new Error(message.message), { code: message.code }))
    upload.wake?.()
  }

  function fail(upload: Upload, error: Error): void {
    upload.error ??= error
    upload.stop?.()
  }

  function failAll(error: Error): void {
    worker = undefined
    for (const upload of uploads.values()) {
      fail(upload, error)
      upload.wake?.()
    }
  }

  function start(): Worker {
    clearTimeout(idleTimer)
    if (worker) return worker
    // the worker keeps a few objects per upload (bytes travel as transferred buffers): a small heap
    const started = startWorker({ resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 } })
    started.unref()
    started.on('message', onMessage)
    started.on('error', (error) => failAll(error))
    started.on('exit', () => {
      if (worker === started) failAll(new Error('the hashing thread stopped'))
    })
    worker = started
    return started
  }

  function stopWhenIdle(): void {
    if (uploads.size > 0 || !worker) return
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => void close(), IDLE_STOP_MS).unref()
  }

  async function close(): Promise<void> {
    clearTimeout(idleTimer)
    const stopping = worker
    failAll(new Error('the hashing thread was stopped'))
    await stopping?.terminate()
  }

  /** Resolves when `ready()` holds or the upload failed (then rejects). */
  function until(upload: Upload, ready: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (upload.error) reject(upload.error)
        else if (ready()) resolve()
        else return
        upload.wake = undefined
      }
      upload.wake = check
      check()
    })
  }

  async function write(
    source: AsyncIterable<Uint8Array>,
    path: string,
    options: { fsync: boolean; transfer: boolean }
  ): Promise<{ size: number; md5: string }> {
    const thread = start()
    const id = nextId++
    const upload: Upload = { inFlight: 0 }
    uploads.set(id, upload)
    largeTransfers.started()
    thread.postMessage({ type: 'open', id, path })
    let size = 0
    let batch: ArrayBuffer[] = []
    let batched = 0
    const send = (): void => {
      thread.postMessage({ type: 'data', id, buffers: batch, bytes: batched }, batch)
      upload.inFlight += batched
      batch = []
      batched = 0
    }
    const take = (chunk: Uint8Array): boolean => {
      if (chunk.length === 0) return false
      size += chunk.length
      batch.push(options.transfer && ownsWholeBuffer(chunk) ? (chunk.buffer as ArrayBuffer) : copyOf(chunk))
      batched += chunk.length
      if (batched < BATCH_BYTES) return false
      send()
      return upload.inFlight >= MAX_IN_FLIGHT
    }
    try {
      if (source instanceof Readable) {
        // 'data' events cost less per chunk than async iteration on this hot path
        upload.stop = () => source.destroy()
        source.on('data', (chunk: Uint8Array) => {
          if (upload.error) return void source.destroy()
          if (!take(chunk)) return
          source.pause()
          until(upload, () => upload.inFlight < MAX_IN_FLIGHT).then(
            () => source.resume(),
            () => source.destroy()
          )
        })
        await finished(source).catch((error: unknown) => {
          throw upload.error ?? error
        })
        if (upload.error) throw upload.error
      } else {
        for await (const chunk of source) {
          if (upload.error) throw upload.error
          if (take(chunk)) await until(upload, () => upload.inFlight < MAX_IN_FLIGHT)
        }
      }
      if (batched > 0) send()
      thread.postMessage({ type: 'end', id, fsync: options.fsync })
      await until(upload, () => upload.md5 !== undefined)
      return { size, md5: upload.md5 as string }
    } catch (error) {
      worker?.postMessage({ type: 'abort', id })
      throw error
    } finally {
      uploads.delete(id)
      largeTransfers.ended(size)
      stopWhenIdle()
    }
  }

  return { write, close }
}

/**
 * The hashing thread. From the bundle, the worker is the entry electron-vite emits beside
 * this code (out/main/hash-writer-worker.js). From TypeScript sources (tsx, vitest), the
 * thread registers tsx's require hook first and then loads hash-writer-worker.ts.
 */
function startWorker(options: WorkerOptions): Worker {
  const here = import.meta.url
  if (!here.endsWith('.ts')) {
    // In the packaged desktop app the worker is unpacked from the asar (a thread cannot load from it).
    const bundled = fileURLToPath(new URL(WORKER_BUNDLE_FILE, here))
    return new Worker(bundled.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'), options)
  }
  const require = createRequire(here)
  const tsx = require.resolve('tsx/cjs/api')
  const source = fileURLToPath(new URL(WORKER_SOURCE_FILE, here))
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`
  return new Worker(boot, { ...options, eval: true })
}

// Names in variables, so the bundler leaves these URLs alone (they point at files it emits or skips).
const WORKER_BUNDLE_FILE = './hash-writer-worker.js'
const WORKER_SOURCE_FILE = './hash-writer-worker.ts'

/** A chunk that spans its whole ArrayBuffer (not a view into a pool or a larger buffer). */
function ownsWholeBuffer(chunk: Uint8Array): boolean {
  return chunk.byteOffset === 0 && chunk.buffer.byteLength === chunk.byteLength && !isShared(chunk.buffer)
}

function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer
}

function copyOf(chunk: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(chunk.byteLength)
  copy.set(chunk)
  return copy.buffer
}
