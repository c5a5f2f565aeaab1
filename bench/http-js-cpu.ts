/**
 * `node bin/tsx.js bench/http-js-cpu.ts [--requests N] [--rounds R]`: the JavaScript a 4 KiB PUT
 * costs COS Local's HTTP side (request id, Host check, target, auth parse, route, the PUT Object
 * handler, stored headers, body read, MD5, response headers and node's ServerResponse), in
 * process, with no socket and no commit: the COS API server's request listener is called with a
 * node:http request and response on an in-memory socket (writes are dropped), 16 at a time, on
 * bench/peers/cos-http-only.ts's storage (reads and hashes the body, answers without committing).
 * CPU µs per PUT from process.cpuUsage, best of R rounds: unlike the HTTP benches it holds on a
 * loaded machine, so two trees compare (run it from each; it imports the tree's own main/).
 */
import http, { IncomingMessage, ServerResponse } from 'node:http'
import { syncBuiltinESMExports } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Duplex } from 'node:stream'
import { numberOption } from './options.ts'

const requests = numberOption('--requests', 100_000)
const rounds = numberOption('--rounds', 5)

// catch the COS API server's request listener (cos-api/server.ts calls createServer once)
let listener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
const createServer = http.createServer
http.createServer = ((...params: unknown[]) => {
  listener = params.find((p) => typeof p === 'function') as typeof listener
  return (createServer as (...p: unknown[]) => http.Server)(...params)
}) as typeof http.createServer
syncBuiltinESMExports()

const dataDir = mkdtempSync(join(tmpdir(), 'cos-http-js-'))
process.argv[2] = dataDir
process.argv.length = 3
await import('./peers/cos-http-only.ts')
if (!listener) throw new Error('the COS API server did not call http.createServer')
const handle = listener

const body = Buffer.alloc(4096, 7)
const headers = { host: '127.0.0.1:9000', 'content-length': '4096', connection: 'keep-alive' }

/** One PUT through the listener; resolves when its response ended. */
function put(i: number, bucketOnly = false): Promise<number> {
  const socket = new Duplex({
    read() {},
    write(_chunk, _encoding, callback) {
      callback()
    }
  })
  const req = new IncomingMessage(socket as never)
  req.method = 'PUT'
  req.url = bucketOnly ? '/bench-1250000000' : `/bench-1250000000/js/${i}`
  req.headers = bucketOnly ? { host: headers.host, 'content-length': '0' } : { ...headers }
  const res = new ServerResponse(req)
  res.assignSocket(socket as never)
  const done = new Promise<number>((resolve) => res.once('finish', () => resolve(res.statusCode)))
  handle(req, res)
  if (!bucketOnly) req.push(body)
  req.complete = true // as node's parser marks a whole message (else ending it destroys the socket)
  req.push(null)
  return done
}

if ((await put(0, true)) !== 200) throw new Error('PUT Bucket failed')
const results: number[] = []
for (let round = 0; round <= rounds; round++) {
  const before = process.cpuUsage()
  for (let i = 0; i < requests; i += 16) {
    const statuses = await Promise.all(Array.from({ length: 16 }, (_, j) => put(i + j)))
    if (statuses.some((status) => status !== 200)) throw new Error(`PUT answered ${statuses.join(',')}`)
  }
  const used = process.cpuUsage(before)
  if (round > 0) results.push(((used.user + used.system) / requests) * 1) // round 0 warms up
}
console.log(
  `${process.cwd()}: ${requests} PUTs x ${rounds}: ${results.map((r) => r.toFixed(2)).join(' / ')} µs CPU per PUT ` +
    `(best ${Math.min(...results).toFixed(2)}), load ${loadavg()[0]!.toFixed(2)}`
)
rmSync(dataDir, { recursive: true, force: true })
process.exit(0)
