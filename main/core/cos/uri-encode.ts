/**
 * Percent-encoding shared by the COS q-sign and AWS SigV4 signers: RFC 3986 unreserved
 * characters (A-Z a-z 0-9 - _ . ~) stay, everything else becomes %XX of its UTF-8 bytes.
 * This is `encodeURIComponent` plus `! ' ( ) *`, which is what cos-nodejs-sdk-v5 calls
 * camSafeUrlEncode and what SigV4 calls UriEncode.
 */
export function strictUriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

/** A header value as one string: node joins repeated headers into an array for some names. */
export function headerText(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value.join(',')
}

/** `host:port` → the variants a client may have signed: as sent, then without the port. */
export function hostVariants(host: string | undefined): string[] {
  if (host === undefined) return ['']
  const withoutPort = host.replace(/:\d+$/, '')
  return withoutPort === host ? [host] : [host, withoutPort]
}
