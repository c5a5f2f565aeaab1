/**
 * The code of the hashing thread (see hash-writer.ts), as plain CommonJS run with
 * `new Worker(source, { eval: true })`, so it works the same from TypeScript sources, a
 * bundle or a packaged app. For each upload (`id`) it writes the batches it is sent to the
 * temp file, in order, and feeds them to an MD5 hash meanwhile: the disk write runs in the
 * thread pool while this thread hashes, and neither runs on the event loop.
 *
 * Messages in:  open {id, path} · data {id, buffers, bytes} · end {id, fsync} · abort {id}
 * Messages out: written {id, bytes, buffers} (buffers handed back to be freed by the main
 *               thread's frequent collections) · done {id, md5} · failed {id, message, code}
 */
export const HASH_WRITER_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const fs = require('node:fs')

const uploads = new Map()

function writeAll(fd, views) {
  return new Promise((resolve, reject) => {
    const next = (error, written) => {
      if (error) return reject(error)
      while (views.length > 0 && written >= views[0].length) written -= views.shift().length
      if (views.length === 0) return resolve()
      views[0] = views[0].subarray(written)
      fs.writev(fd, views, next)
    }
    next(null, 0)
  })
}

function fail(id, upload, error) {
  if (upload.failed) return
  upload.failed = true
  parentPort.postMessage({ type: 'failed', id, message: String(error && error.message), code: error && error.code })
}

parentPort.on('message', (message) => {
  const { id } = message
  if (message.type === 'open') {
    const upload = { hash: createHash('md5'), fd: -1, chain: Promise.resolve(), failed: false }
    uploads.set(id, upload)
    try {
      upload.fd = fs.openSync(message.path, 'w')
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
      .then(() => parentPort.postMessage({ type: 'written', id, bytes: message.bytes, buffers: message.buffers }, message.buffers))
      .catch((error) => fail(id, upload, error))
  } else if (message.type === 'end') {
    upload.chain
      .then(() => {
        if (message.fsync) fs.fsyncSync(upload.fd)
        fs.closeSync(upload.fd)
        uploads.delete(id)
        if (!upload.failed) parentPort.postMessage({ type: 'done', id, md5: upload.hash.digest('hex') })
      })
      .catch((error) => {
        fail(id, upload, error)
        try { fs.closeSync(upload.fd) } catch {}
        uploads.delete(id)
      })
  } else if (message.type === 'abort') {
    upload.failed = true
    uploads.delete(id)
    upload.chain.catch(() => undefined).then(() => {
      try { fs.closeSync(upload.fd) } catch {}
    })
  }
})
`
