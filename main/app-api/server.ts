/**
 * The UI's API: HTTP JSON routes under /api, a WebSocket push channel at /api/push, and
 * the built UI itself. Every /api call needs the per-instance token (Bearer header, or
 * `?token=` for the WebSocket), and the Host header must name this machine (DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type * as Ws from 'ws'
import { PushHub } from './push-hub.ts'
import { ApiError, type RouteRequest } from './router.ts'
import { serveStatic } from './static-files.ts'

const MAX_BODY = 64 * 1024 * 1024

// ws loads with the first push connection, not at start-up.
const requireForPush = createRequire(import.meta.url)

export interface AppApiOptions {
  host: string
  port: number
  /** Answers every /api/ call but the push socket (a Router built from the contract's route table). */
  router: { handle(request: RouteRequest): Promise<unknown> }
  uiDir: string
  token?: string
}

export interface AppApiServer {
  port: number
  url: string
  token: string
  push: PushHub
  close(): Promise<void>
}

export async function startAppApi(options: AppApiOptions): Promise<AppApiServer> {
  const token = options.token ?? randomBytes(24).toString('hex')
  const push = new PushHub()
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error))
  })
  let sockets: Ws.WebSocketServer | undefined
  const socketServer = (): Ws.WebSocketServer =>
    (sockets ??= new (requireForPush('ws') as typeof Ws).WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 }))
  const hostAllowed = (host: string | undefined): boolean => {
    const name = (host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
    return ['127.0.0.1', 'localhost', '::1', options.host].includes(name)
  }
  const tokenOk = (given: string | null | undefined): boolean => {
    if (!given) return false
    const a = Buffer.from(given)
    const b = Buffer.from(token)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host)) {
      throw new ApiError('ForbiddenHost', `Host ${req.headers.host ?? ''} is not allowed`, 403)
    }
    const url = requestUrl(req.url)
    if (!url.pathname.startsWith('/api/')) {
      serveStatic(options.uiDir, url.pathname, res)
      return
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (!tokenOk(bearer ?? url.searchParams.get('token'))) {
      throw new ApiError(
        'Unauthorized',
        'Missing or wrong app-API token (see the URL printed by `cos-local serve`)',
        401
      )
    }
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    const result = await options.router.handle({
      method: req.method ?? 'GET',
      url,
      readBody: () => readJson(req),
      signal: abort.signal
    })
    if (res.writableEnded) return
    const text = JSON.stringify(result ?? null)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    res.end(text)
  }

  server.on('upgrade', (req, socket, head) => {
    const url = requestUrl(req.url)
    const origin = req.headers.origin
    const originOk = !origin || hostAllowed(originHost(origin))
    if (
      url.pathname !== '/api/push' ||
      !hostAllowed(req.headers.host) ||
      !originOk ||
      !tokenOk(url.searchParams.get('token'))
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    socketServer().handleUpgrade(req, socket, head, (ws) => push.add(ws))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host
  return {
    port,
    token,
    push,
    url: `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${port}`,
    async close() {
      push.close()
      sockets?.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY) throw new ApiError('RequestTooLarge', 'Request body over 64 MiB', 413)
    chunks.push(chunk)
  }
  if (size === 0) return undefined
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new ApiError('InvalidJson', 'The request body is not valid JSON', 400)
  }
}

function sendError(res: ServerResponse, error: unknown): void {
  const known = error instanceof ApiError || (error instanceof Error && 'code' in error && 'status' in error)
  const status = known ? Number((error as ApiError).status) || 400 : 500
  const code = known ? String((error as ApiError).code) : 'InternalError'
  const message = error instanceof Error ? error.message : String(error)
  if (!known || status >= 500) console.error('[app-api]', error)
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify({ error: { code, message } }))
}

/** The request target as a URL; a path starting `//` stays a path (not a protocol-relative host). */
function requestUrl(target: string | undefined): URL {
  const path = target ?? '/'
  try {
    return new URL(`http://localhost${path.startsWith('/') ? path : `/${path}`}`)
  } catch {
    return new URL('http://localhost/')
  }
}

/** The host of an Origin header ('' when it is not a URL, e.g. `null`). */
function originHost(origin: string): string {
  try {
    return new URL(origin).host
  } catch {
    return ''
  }
}
