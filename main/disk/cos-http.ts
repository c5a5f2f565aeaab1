/**
 * A minimal COS client for the core's own COS endpoint (path-style, q-sign when signatures are
 * verified): used to stream files from disk into buckets and objects out to files, through the
 * COS API itself so the events fired are exactly those of any other client.
 */
import { request, type IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import { computeQSign } from '../core/cos/signature-qsign.ts'

export interface CosTarget {
  /** http://127.0.0.1:PORT */
  endpoint: string
  /** Present when the emulator verifies signatures. */
  credentials?: { secretId: string; secretKey: string }
}

/** encodeURIComponent plus ! ' ( ) * (as COS's SDKs encode). */
function cosEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function canonical(pairs: [string, string][]): [string, string] {
  const encoded = pairs
    .map(([key, value]): [string, string] => [cosEncode(key).toLowerCase(), cosEncode(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return [encoded.map(([key, value]) => `${key}=${value}`).join('&'), encoded.map(([key]) => key).join(';')]
}

/** The q-sign Authorization value for one request (path is the decoded pathname). */
export function qSignAuthorization(
  credentials: { secretId: string; secretKey: string },
  method: string,
  pathname: string,
  query: [string, string][],
  headers: [string, string][],
  nowSeconds = Math.floor(Date.now() / 1000)
): string {
  const keyTime = `${nowSeconds - 60};${nowSeconds + 900}`
  const [params, paramList] = canonical(query)
  const [signedHeaders, headerList] = canonical(headers)
  const { signature } = computeQSign({
    secretKey: credentials.secretKey,
    method,
    pathname,
    params,
    headers: signedHeaders,
    keyTime,
    signTime: keyTime
  })
  return [
    'q-sign-algorithm=sha1',
    `q-ak=${credentials.secretId}`,
    `q-sign-time=${keyTime}`,
    `q-key-time=${keyTime}`,
    `q-header-list=${headerList}`,
    `q-url-param-list=${paramList}`,
    `q-signature=${signature}`
  ].join('&')
}

export class CosHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'CosHttpError'
  }
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

async function failure(response: IncomingMessage): Promise<CosHttpError> {
  const text = await readText(response)
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP${response.statusCode}`
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? `HTTP ${response.statusCode}`
  return new CosHttpError(response.statusCode ?? 0, code, `${code}: ${message}`)
}

/**
 * One COS request. Resolves with the response when it is 2xx (its body unread), rejects with
 * the COS error code otherwise.
 */
export function cosRequest(
  target: CosTarget,
  input: {
    method: 'GET' | 'PUT' | 'HEAD'
    bucket: string
    key: string
    query?: [string, string][]
    headers?: Record<string, string>
    body?: Readable
    signal?: AbortSignal
  }
): Promise<IncomingMessage> {
  const url = new URL(target.endpoint)
  const pathname = `/${input.bucket}/${input.key}`
  url.pathname = `/${cosEncode(input.bucket)}/${input.key.split('/').map(cosEncode).join('/')}`
  for (const [name, value] of input.query ?? []) url.searchParams.append(name, value)
  const headers: Record<string, string> = { ...input.headers }
  if (target.credentials) {
    const signable = Object.entries(headers).filter(([name]) => /^x-cos-|^content-type$/i.test(name))
    headers.authorization = qSignAuthorization(target.credentials, input.method, pathname, input.query ?? [], signable)
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: input.method, headers, signal: input.signal }, (response) => {
      const status = response.statusCode ?? 0
      if (status >= 200 && status < 300) resolve(response)
      else failure(response).then(reject, reject)
    })
    req.on('error', reject)
    if (input.body) {
      input.body.on('error', (error) => req.destroy(error))
      input.body.pipe(req)
    } else req.end()
  })
}
