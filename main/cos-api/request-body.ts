/**
 * The payload of an upload: the request itself, or its aws-chunked decoding (AWS SDK v3
 * streams), with the length the client announced for it.
 */
import type { Readable } from 'node:stream'
import { CosError } from '../core/cos/errors.ts'
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.ts'
import type { Exchange } from './exchange.ts'

export interface Payload {
  body: Readable
  /** Announced payload length, when known. */
  length: number | undefined
}

export function payloadOf(ex: Exchange): Payload {
  const headers = ex.req.headers
  const sha = headers['x-amz-content-sha256']
  const chunked = isAwsChunked(headers['content-encoding']) || (typeof sha === 'string' && sha.startsWith('STREAMING-'))
  if (chunked) {
    const decoded = headers['x-amz-decoded-content-length']
    const length = decoded === undefined ? undefined : parseLength(String(decoded))
    const decoder = new AwsChunkedDecoder()
    ex.req.on('error', (error) => decoder.destroy(error))
    return { body: ex.req.pipe(decoder), length }
  }
  const contentLength = headers['content-length']
  return { body: ex.req, length: contentLength === undefined ? undefined : parseLength(contentLength) }
}

function parseLength(value: string): number {
  if (!/^\d{1,16}$/.test(value)) throw new CosError('InvalidArgument', `"${value}" is not a valid content length.`)
  return Number(value)
}
