/**
 * Decoder for `Content-Encoding: aws-chunked` bodies (AWS SDK v3 streaming uploads):
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;…]\r\n[<trailer>:<value>\r\n]*\r\n
 *
 * A streaming Transform that passes the payload bytes on and keeps the trailers (e.g.
 * x-amz-checksum-crc32). When the trailer carries a CRC32 the payload is checked against it.
 */
import { Transform, type TransformCallback } from 'node:stream'
import { crc32 } from 'node:zlib'
import { CosError } from '../core/cos/errors.ts'

const MAX_LINE = 8 * 1024

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done'

export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>()
  #state: State = 'size'
  #line = ''
  #remaining = 0
  #crc = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#consume(chunk)
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.#state !== 'done' && !(this.#state === 'trailer' && this.#line === '')) {
      callback(new CosError('IncompleteBody', 'The aws-chunked request body ended before its final chunk.'))
      return
    }
    const expected = this.trailers.get('x-amz-checksum-crc32')
    if (expected !== undefined && expected !== crcBase64(this.#crc)) {
      callback(new CosError('BadDigest', 'The x-amz-checksum-crc32 you specified did not match what was received.'))
      return
    }
    callback()
  }

  #consume(chunk: Buffer): void {
    let i = 0
    while (i < chunk.length) {
      switch (this.#state) {
        case 'data': {
          const take = Math.min(this.#remaining, chunk.length - i)
          const part = chunk.subarray(i, i + take)
          this.#crc = crc32(part, this.#crc)
          this.push(part)
          this.#remaining -= take
          i += take
          if (this.#remaining === 0) this.#state = 'data-end'
          break
        }
        case 'done':
          return // bytes after the final chunk are ignored
        default: {
          const newline = chunk.indexOf(0x0a, i)
          const end = newline < 0 ? chunk.length : newline
          this.#line += chunk.toString('latin1', i, end)
          if (this.#line.length > MAX_LINE) throw malformed('a chunk header line is too long')
          i = end
          if (newline < 0) break
          i++
          const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line
          this.#line = ''
          this.#onLine(line)
        }
      }
    }
  }

  #onLine(line: string): void {
    if (this.#state === 'data-end') {
      if (line !== '') throw malformed('a chunk is longer than its declared size')
      this.#state = 'size'
      return
    }
    if (this.#state === 'trailer') {
      if (line === '') {
        this.#state = 'done'
        return
      }
      const colon = line.indexOf(':')
      if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
      return
    }
    const sizeText = line.split(';', 1)[0]?.trim() ?? ''
    if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) throw malformed(`"${line.slice(0, 40)}" is not a chunk header`)
    this.#remaining = parseInt(sizeText, 16)
    this.#state = this.#remaining === 0 ? 'trailer' : 'data'
  }
}

function malformed(detail: string): CosError {
  return new CosError('IncompleteBody', `The aws-chunked request body is malformed: ${detail}.`)
}

function crcBase64(crc: number): string {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(crc >>> 0)
  return bytes.toString('base64')
}

/** Does this Content-Encoding header include aws-chunked? */
export function isAwsChunked(contentEncoding: string | undefined): boolean {
  return contentEncoding !== undefined && /(^|,)\s*aws-chunked\s*(,|$)/i.test(contentEncoding)
}
