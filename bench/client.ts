/**
 * A thin keep-alive node:http client for path-style requests (`/bucket/key`), so the client
 * costs as little as possible. Bodies are read and counted, not kept, unless asked for.
 */
import http from 'node:http'
import type { Readable } from 'node:stream'

export const BUCKET = 'bench-1250000000'

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  /** Bytes received in the body. */
  bytes: number
  /** The body as text, when `keepBody` was set. */
  text: string
}

export interface RequestOptions {
  body?: Buffer | Readable
  /** Required when body is a stream. */
  contentLength?: number
  keepBody?: boolean
  /**
   * Called as the request is handed to its socket, just before node:http writes its head and
   * body there (the 'socket' event, which a kept-alive socket gets on the tick after
   * `http.request`): what the client spent building the request lies before it.
   */
  onWrite?: () => void
}

export class Client {
  private readonly agent: http.Agent

  constructor(
    readonly port: number,
    maxSockets = 64
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const { body, keepBody = false } = options
    const headers: http.OutgoingHttpHeaders = {}
    if (Buffer.isBuffer(body)) headers['content-length'] = body.length
    else if (body) headers['content-length'] = options.contentLength
    else if (method === 'PUT' || method === 'POST') headers['content-length'] = 0
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          let bytes = 0
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            if (keepBody) chunks.push(chunk)
          })
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              bytes,
              text: keepBody ? Buffer.concat(chunks).toString() : ''
            })
          )
          res.on('error', reject)
        }
      )
      req.on('error', reject)
      if (options.onWrite) req.once('socket', options.onWrite)
      if (Buffer.isBuffer(body)) req.end(body)
      else if (body) body.pipe(req)
      else req.end()
    })
  }

  /** Like request, but a status other than 2xx is an error. */
  async ok(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const reply = await this.request(method, path, { ...options, keepBody: true })
    if (reply.status < 200 || reply.status >= 300) {
      throw new Error(`${method} ${path} → ${reply.status}: ${reply.text.slice(0, 300)}`)
    }
    return reply
  }

  createBucket(): Promise<Reply> {
    return this.request('PUT', `/${BUCKET}`, { keepBody: true })
  }

  close(): void {
    this.agent.destroy()
  }
}

export function objectPath(key: string): string {
  return `/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`
}
