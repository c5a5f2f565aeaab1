/**
 * A GET client for large bodies that allocates nothing per read: one connection, every
 * read(2) into the same 1 MiB buffer (`net` `onread`), the response head parsed by hand,
 * the body counted and dropped. `node:http` reads a socket into a fresh 64 KiB buffer each
 * time; on this machine those buffers sometimes come from memory glibc has just given back
 * to the kernel, and the client then pays a page fault per 4 KiB page — up to 150,000 per
 * GiB and 3–7 s of its own CPU for a GET the server sends in 0.5 s of CPU. Timed with such
 * a client, a large GET measures the client's allocator; timed with this one, the server.
 */
import { connect } from 'node:net'

const READ_BUFFER = Buffer.allocUnsafe(1024 * 1024)
const HEAD_END = Buffer.from('\r\n\r\n')
/** A response head larger than this is not what these servers send. */
const MAX_HEAD = 64 * 1024

export interface LeanReply {
  status: number
  /** Body bytes received (Content-Length, which the response must carry). */
  bytes: number
}

/** GET `path` from 127.0.0.1:`port` on a new connection; resolves when the whole body arrived. */
export function leanGet(port: number, path: string): Promise<LeanReply> {
  return new Promise((resolve, reject) => {
    let head: Buffer | undefined = Buffer.alloc(0)
    let status = 0
    let length = 0
    let bytes = 0
    const fail = (error: Error): void => {
      socket.destroy()
      reject(error)
    }
    const done = (): void => {
      socket.end()
      resolve({ status, bytes })
    }
    const parseHead = (raw: Buffer): void => {
      const text = raw.toString('latin1')
      status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0)
      const declared = /\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1]
      if (declared === undefined) return fail(new Error(`GET ${path}: no Content-Length (status ${status})`))
      length = Number(declared)
    }
    const socket = connect({
      host: '127.0.0.1',
      port,
      onread: {
        buffer: READ_BUFFER,
        callback: (nread: number, buffer: Uint8Array): boolean => {
          let body = nread
          if (head) {
            const joined = Buffer.concat([head, buffer.subarray(0, nread)])
            const end = joined.indexOf(HEAD_END)
            if (end < 0) {
              if (joined.length > MAX_HEAD) fail(new Error(`GET ${path}: response head over ${MAX_HEAD} bytes`))
              head = joined
              return true
            }
            head = undefined
            parseHead(joined.subarray(0, end))
            body = joined.length - end - HEAD_END.length
          }
          bytes += body
          if (bytes >= length) done()
          return true
        }
      }
    })
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)
    )
    socket.on('error', fail)
    socket.on('end', () => {
      if (head || bytes < length) fail(new Error(`GET ${path}: connection ended after ${bytes} of ${length} bytes`))
    })
  })
}
