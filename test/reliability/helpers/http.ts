/** Raw HTTP for the reliability suites (keep-alive agent; bodies as Buffers; no throwing on status). */
import http from 'node:http'

export interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 128 })

export function send(
  endpoint: string,
  method: string,
  path: string,
  options: { headers?: http.OutgoingHttpHeaders; body?: Buffer | string; timeoutMs?: number; fresh?: boolean } = {}
): Promise<Answer> {
  const url = new URL(endpoint)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: options.headers,
        agent: options.fresh ? false : agent
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error('timeout')))
    req.end(options.body)
  })
}

export async function apiCall<T>(api: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await send(api, method, path, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = answer.body.toString('utf8')
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${text}`)
  return JSON.parse(text) as T
}
