/**
 * Fetching from an origin server for origin-pull (node:http / node:https): try the URLs in
 * order (a host, its standbys, other hosts) until one answers below 500, follow redirects
 * when the rule says so, and give up with a clear reason on network errors or timeouts.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

export const ORIGIN_TIMEOUT_MS = 30_000
const MAX_REDIRECTS = 5

export interface OriginResponse {
  status: number
  headers: IncomingMessage['headers']
  body: IncomingMessage
  url: string
}

export class OriginUnreachable extends Error {}

function get(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(url, { method: 'GET', headers }, resolve)
    req.setTimeout(ORIGIN_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ORIGIN_TIMEOUT_MS / 1000} s`)))
    req.on('error', reject)
    req.end()
  })
}

/** GET the first URL that answers (status < 500); redirects are followed when asked. */
export async function fetchOrigin(
  urls: readonly string[],
  headers: Record<string, string>,
  followRedirects: boolean
): Promise<OriginResponse> {
  const problems: string[] = []
  for (const first of urls) {
    let url = first
    try {
      for (let hop = 0; ; hop++) {
        const res = await get(url, headers)
        const status = res.statusCode ?? 502
        const location = res.headers.location
        if (followRedirects && status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
          res.resume()
          url = new URL(location, url).toString()
          continue
        }
        if (status >= 500) {
          res.resume()
          problems.push(`${url} answered ${status}`)
          break
        }
        return { status, headers: res.headers, body: res, url }
      }
    } catch (error) {
      problems.push(`${url}: ${(error as Error).message}`)
    }
  }
  throw new OriginUnreachable(problems.join('; ') || 'no origin host configured')
}
