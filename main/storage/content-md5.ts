/** The Content-MD5 request header: base64 of the 16-byte MD5 of the body. */
import { CosError } from '../core/cos/errors.ts'

/** Hex MD5 of a Content-MD5 header value; InvalidDigest when it is not one. */
export function md5HexOf(contentMd5: string): string {
  const text = contentMd5.trim()
  if (!/^[A-Za-z0-9+/]{22}==$/.test(text)) {
    throw new CosError('InvalidDigest', 'The Content-MD5 you specified is not valid.')
  }
  return Buffer.from(text, 'base64').toString('hex')
}
