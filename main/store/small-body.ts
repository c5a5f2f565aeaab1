/**
 * Reading a body whose declared length is small (an inline PUT, at most INLINE_MAX_BYTES) at
 * once, with 'data' and 'end' listeners. The stream's async iterator, which reads bodies of
 * unknown length, costs a promise and a generator step per chunk and another for the end;
 * a 4 KiB PUT body usually arrives as one chunk with its headers.
 */
import type { Readable } from 'node:stream'

/**
 * The whole of `source` once it ends, or undefined when more than `limit` bytes arrive (a
 * stream longer than it said): then what was read is put back into `source`, paused, to be
 * read again from its start. Rejects when the stream fails or closes before its end.
 */
export function readSmallBody(source: Readable, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const done = (): void => {
      source.off('data', onData)
      source.off('end', onEnd)
      source.off('error', onError)
      source.off('close', onClose)
    }
    const onData = (chunk: Uint8Array): void => {
      chunks.push(chunk)
      size += chunk.length
      if (size <= limit) return
      done()
      source.pause()
      source.unshift(Buffer.concat(chunks))
      resolve(undefined)
    }
    const onEnd = (): void => {
      done()
      const first = chunks[0]
      resolve(chunks.length === 1 && Buffer.isBuffer(first) ? first : Buffer.concat(chunks, size))
    }
    const onError = (error: Error): void => {
      done()
      reject(error)
    }
    // 'close' before 'end': the client went away mid-body ('end' comes first otherwise)
    const onClose = (): void => {
      done()
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }))
    }
    source.on('data', onData)
    source.on('end', onEnd)
    source.on('error', onError)
    source.on('close', onClose)
  })
}
