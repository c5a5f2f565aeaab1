// The upper bound: a node:http server that stores nothing. It reads each request body and
// answers 200 with an ETag; a GET gets 4 KiB of zeros (the size the small-object bench reads).
// Started as a child process by bench/servers.ts; prints "READY <port>".
import http from 'node:http'

const ETAG = '"d41d8cd98f00b204e9800998ecf8427e"'
const BODY = Buffer.alloc(4096)

const server = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    const body = req.method === 'GET' ? BODY : Buffer.alloc(0)
    res.writeHead(200, { ETag: ETAG, 'Content-Length': body.length })
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
