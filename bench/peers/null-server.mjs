// The upper bound: a node:http server that stores nothing. It reads each request body and
// answers 200 with an ETag. With --md5 it hashes every body on its event loop and answers
// its MD5 (the ceiling of any server whose PUT returns the body's MD5). It remembers only
// each key's size: a GET of a key written before sends that many bytes from one MiB in
// memory (the upper bound of a large GET); any other GET gets 4 KiB of zeros (the size the
// small-object bench reads). Multipart calls get the answers an S3 client needs.
// Started as a child process by bench/servers.ts; prints "READY <port>".
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'

const md5 = process.argv.includes('--md5')
const EMPTY_ETAG = '"d41d8cd98f00b204e9800998ecf8427e"'
const BODY = Buffer.alloc(4096)
const MiB = randomBytes(1024 * 1024)
/** Sizes of keys written with more than 4 KiB, and of multipart uploads' parts. */
const sizes = new Map()
const uploads = new Map()
let nextUpload = 1

function sendBig(res, size) {
  res.writeHead(200, { ETag: EMPTY_ETAG, 'Content-Length': size })
  let left = size
  const pump = () => {
    while (left > 0) {
      const piece = left >= MiB.length ? MiB : MiB.subarray(0, left)
      left -= piece.length
      if (!res.write(piece)) return void res.once('drain', pump)
    }
    res.end()
  }
  pump()
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x')
  const path = url.pathname
  const hash = md5 && req.method !== 'GET' ? createHash('md5') : undefined
  let size = 0
  req.on('data', (chunk) => {
    size += chunk.length
    hash?.update(chunk)
  })
  req.on('end', () => {
    const etag = hash ? `"${hash.digest('hex')}"` : EMPTY_ETAG
    if (req.method === 'GET' && sizes.has(path)) return sendBig(res, sizes.get(path))
    let body = req.method === 'GET' ? BODY : Buffer.alloc(0)
    if (req.method === 'POST' && url.searchParams.has('uploads')) {
      const id = String(nextUpload++)
      uploads.set(id, 0)
      body = Buffer.from(`<InitiateMultipartUploadResult><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`)
    } else if (req.method === 'PUT' && url.searchParams.has('uploadId')) {
      const id = url.searchParams.get('uploadId')
      uploads.set(id, (uploads.get(id) ?? 0) + size)
    } else if (req.method === 'POST' && url.searchParams.has('uploadId')) {
      const id = url.searchParams.get('uploadId')
      sizes.set(path, uploads.get(id) ?? 0)
      uploads.delete(id)
      body = Buffer.from(`<CompleteMultipartUploadResult><ETag>${etag}</ETag></CompleteMultipartUploadResult>`)
    } else if (req.method === 'PUT' && size > 4096) sizes.set(path, size)
    else if (req.method === 'DELETE') sizes.delete(path)
    res.writeHead(200, { ETag: etag, 'Content-Length': body.length })
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
