/**
 * The COS XML API server on node:http (no framework): resolve the target, parse the
 * signature, choose the handler, and answer every failure as COS error XML. Every
 * response carries x-cos-request-id and Server: tencent-cos.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Clock } from '../core/clock.ts'
import { CosError } from '../core/cos/errors.ts'
import { isValidRegion } from '../core/cos/region.ts'
import { createRequestIdSource } from '../core/cos/request-id.ts'
import type { StorageService } from '../storage/create-storage.ts'
import { createAuthenticator, type Credential } from './auth.ts'
import { createCorsPolicy } from './cors.ts'
import { createHostCheck, hostNameOf } from '../core/cos/host-check.ts'
import { createCosFeatures } from './features.ts'
import { chooseHandler } from './dispatch.ts'
import { sendError, type Exchange } from './exchange.ts'
import { resolveTarget, type Target } from './resolve-target.ts'

export interface CosServerOptions {
  storage: StorageService
  host: string
  port: number
  appid: string
  defaultRegion: string
  clock: Clock
  /** When given, signatures are verified against these keys; otherwise open mode. */
  credentials?: Credential[]
  /** Host names answered besides loopback, the bind address and COS's own (`--allow-host`). */
  allowHosts?: readonly string[]
  /** Origins added to every bucket's default CORS rule (`--cors-origin`). */
  corsOrigins?: readonly string[]
  /** Origins of the UI, always allowed by CORS. */
  uiOrigins?: () => Iterable<string>
}

export interface CosServer {
  port: number
  close(): Promise<void>
}

export async function startCosServer(opts: CosServerOptions): Promise<CosServer> {
  const nextRequestId = createRequestIdSource(() => opts.clock.now())
  const authenticate = createAuthenticator(opts.credentials)
  const features = createCosFeatures(opts.storage, opts.clock, opts.credentials)
  const hostAllowed = createHostCheck({ bindHost: opts.host, allowHosts: opts.allowHosts })
  const cors = createCorsPolicy({
    configs: features.configs,
    extraOrigins: opts.corsOrigins,
    uiOrigins: opts.uiOrigins
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = nextRequestId()
    // Date comes from the emulated clock, like Last-Modified and event times, so SDKs that
    // correct their clock skew from it (cos-js-sdk-v5) sign with the emulator's time. Every
    // writer sends it with baseHeaders (exchange.ts).
    const date = httpDate(opts.clock.now())
    const method = req.method ?? 'GET'
    const url = stripAbsoluteForm(req.url ?? '/')
    const q = url.indexOf('?')
    const rawPath = q < 0 ? url : url.slice(0, q)
    const rawQuery = q < 0 ? '' : url.slice(q + 1)
    const amz = looksLikeS3Client(req)
    let target: Target = { bucket: '', key: '', region: undefined, pathStyle: true }
    let region = opts.defaultRegion
    try {
      if (!hostAllowed(req.headers.host)) throw forbiddenHost(req.headers.host ?? '')
      target = resolveTarget(req.headers.host, rawPath)
      if (method === 'OPTIONS') {
        const headers = cors.preflight(req, target)
        res.writeHead(200, {
          Date: date,
          'x-cos-request-id': requestId,
          Server: 'tencent-cos',
          'Content-Length': 0,
          ...headers
        })
        res.end()
        return
      }
      const corsHeaders = cors.actual(req, method, target)
      for (const name in corsHeaders) res.setHeader(name, corsHeaders[name] as string)
      const query = rawQuery === '' ? EMPTY_QUERY : new URLSearchParams(rawQuery)
      const auth = authenticate(
        {
          req,
          rawPath,
          rawQuery,
          query,
          pathStyleBucket: target.pathStyle && target.bucket !== '' ? target.bucket : undefined,
          formUpload: isFormUpload(method, target, req)
        },
        opts.clock.now()
      )
      const scopeRegion =
        auth.scopeRegion !== undefined && auth.scopeRegion !== 'us-east-1' && isValidRegion(auth.scopeRegion)
          ? auth.scopeRegion
          : undefined
      region = target.region ?? scopeRegion ?? opts.defaultRegion
      const ex: Exchange = {
        req,
        res,
        method,
        target,
        query,
        requestId,
        date,
        context: { requestId, sourceIp: sourceIp(req), authorization: auth.authorization },
        store: opts.storage,
        amz: amz || auth.scheme === 'aws4',
        region,
        cosHeader(name) {
          return cosHeaderOf(req, name)
        },
        features
      }
      await (cors.configHandler(ex) ?? chooseHandler(ex))(ex)
    } catch (error) {
      const failure = { req, res, requestId, date, amz, method, target, region }
      if (error instanceof CosError) {
        sendError(failure, error)
      } else if (isDiskFull(error)) {
        sendError(
          failure,
          new CosError(
            'ServiceUnavailable',
            'The disk holding the COS Local data folder is full (no space left on device): the write was not stored. ' +
              'Free some space and retry.',
            { status: 503 }
          )
        )
      } else if (!isClientGone(error, req)) {
        console.error(`cos-api: ${method} ${req.url} failed:`, error)
        sendError(failure, new CosError('InternalError', 'We encountered an internal error. Please try again.'))
      } else {
        res.destroy()
      }
    }
  }

  // Uploads may take long (no request timeout); idle keep-alive sockets outlive SDK pools.
  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000, headersTimeout: 70_000 }, (req, res) => {
    void handle(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

/** The query of every request without one, shared: changing it throws (no handler changes `ex.query`). */
class SharedEmptyQuery extends URLSearchParams {
  override append(): never {
    throw new Error('the shared empty query is read-only')
  }
  override set(): never {
    throw new Error('the shared empty query is read-only')
  }
  override delete(): never {
    throw new Error('the shared empty query is read-only')
  }
  override sort(): never {
    throw new Error('the shared empty query is read-only')
  }
}
const EMPTY_QUERY: URLSearchParams = new SharedEmptyQuery()

/** `x-cos-NAME` and `x-amz-NAME` per NAME, made once: a key built per lookup is hashed per lookup. */
const COS_HEADER_NAMES = new Map<string, readonly [string, string]>()

function cosHeaderOf(req: IncomingMessage, name: string): string | undefined {
  let names = COS_HEADER_NAMES.get(name)
  if (names === undefined) {
    names = [`x-cos-${name}`, `x-amz-${name}`]
    if (COS_HEADER_NAMES.size < 256) COS_HEADER_NAMES.set(name, names)
  }
  const headers = req.headers
  const value = headers[names[0]] ?? headers[names[1]]
  return Array.isArray(value) ? value.join(',') : value
}

let dateSecond = Number.NaN
let dateText = ''

/** The HTTP date of `ms`, formatted once per second. */
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== dateSecond) {
    dateSecond = second
    dateText = new Date(second * 1000).toUTCString()
  }
  return dateText
}

function forbiddenHost(host: string): CosError {
  return new CosError(
    'AccessDenied',
    `Host "${host}" is not allowed: COS Local answers loopback names (localhost, 127.0.0.1, ::1), ` +
      'the --host it binds and COS host names (<bucket>.cos.<region>.myqcloud.com). ' +
      `Start it with --allow-host ${hostNameOf(host) || 'NAME'} to allow this name.`,
    { status: 403 }
  )
}

/** `GET http://host/path` (absolute form, sent through proxies) → `/path`. */
function stripAbsoluteForm(url: string): string {
  if (url.startsWith('/')) return url
  const match = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(url)
  return match ? (match[1] ?? '/') : '/' + url
}

/** POST Object: a multipart/form-data POST to a bucket (signed inside the form). */
function isFormUpload(method: string, target: Target, req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? ''
  return method === 'POST' && target.bucket !== '' && target.key === '' && /^multipart\/form-data/i.test(type)
}

function looksLikeS3Client(req: IncomingMessage): boolean {
  for (const name in req.headers) {
    if (name.startsWith('x-amz-')) return true
  }
  return false
}

function sourceIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? ''
  return address.startsWith('::ffff:') ? address.slice(7) : address
}

/** No space left for a blob file (ENOSPC, EDQUOT) or for the database (SQLITE_FULL). */
function isDiskFull(error: unknown): boolean {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '')
  const message = error instanceof Error ? error.message : ''
  return (
    code === 'ENOSPC' ||
    code === 'EDQUOT' ||
    code.startsWith('SQLITE_FULL') ||
    /database or disk is full/i.test(message)
  )
}

function isClientGone(error: unknown, req: IncomingMessage): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return req.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE'
}
