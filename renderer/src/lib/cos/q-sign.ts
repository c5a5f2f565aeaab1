/**
 * COS request signatures (q-sign-algorithm=sha1, cos-scf.md §4.1) with Web Crypto, for when
 * the emulator verifies signatures. Signs the method, the decoded path, every query parameter
 * and the signable headers the client itself sets; `Host` is left out (the browser owns it).
 */

/** Returns the headers to add to a request (Authorization), or query parameters for a link. */
export type Authorize = (method: string, url: string, headers: Record<string, string>) => Promise<string>

const SIGN_WINDOW_S = 900
const encoder = new TextEncoder()

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

async function hmacSha1(key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign'
  ])
  return hex(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)))
}

async function sha1(message: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-1', encoder.encode(message)))
}

/** encodeURIComponent plus ! ' ( ) * as COS's SDKs encode them. */
function camEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function isSignableHeader(name: string): boolean {
  return /^x-cos-/.test(name) || ['content-md5', 'content-type', 'content-disposition', 'range'].includes(name)
}

/** Sorted `k=v&k=v` (keys lower-cased) and the `;`-joined key list. */
function canonical(pairs: [string, string][]): [string, string] {
  const encoded = pairs
    .map(([key, value]): [string, string] => [camEncode(key).toLowerCase(), camEncode(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return [encoded.map(([key, value]) => `${key}=${value}`).join('&'), encoded.map(([key]) => key).join(';')]
}

/** The `q-sign-algorithm=sha1&q-ak=…&q-signature=…` string for one request. */
export async function qSignature(
  secretId: string,
  secretKey: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  nowSeconds = Math.floor(Date.now() / 1000)
): Promise<string> {
  const parsed = new URL(url)
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    pathname = parsed.pathname
  }
  const keyTime = `${nowSeconds - 60};${nowSeconds + SIGN_WINDOW_S}`
  const [params, paramList] = canonical([...parsed.searchParams.entries()])
  const [signedHeaders, headerList] = canonical(
    Object.entries(headers).filter(([name]) => isSignableHeader(name.toLowerCase()))
  )
  const httpString = `${method.toLowerCase()}\n${pathname}\n${params}\n${signedHeaders}\n`
  const stringToSign = `sha1\n${keyTime}\n${await sha1(httpString)}\n`
  const signature = await hmacSha1(await hmacSha1(secretKey, keyTime), stringToSign)
  return [
    'q-sign-algorithm=sha1',
    `q-ak=${secretId}`,
    `q-sign-time=${keyTime}`,
    `q-key-time=${keyTime}`,
    `q-header-list=${headerList}`,
    `q-url-param-list=${paramList}`,
    `q-signature=${signature}`
  ].join('&')
}

/** An Authorize function for a key pair. */
export function qSigner(secretId: string, secretKey: string): Authorize {
  return (method, url, headers) => qSignature(secretId, secretKey, method, url, headers)
}
