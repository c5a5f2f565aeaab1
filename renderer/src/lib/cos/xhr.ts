/** One XMLHttpRequest as a promise: the only browser API that reports upload progress. */
import { cosErrorFrom, CosRequestError, networkError } from './cos-error.ts'
import type { Authorize } from './q-sign.ts'

export interface XhrRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: Blob | string | null
  signal?: AbortSignal
  onProgress?: (loaded: number) => void
  /** Signs the request (Authorization header) when the endpoint verifies signatures. */
  authorize?: Authorize
}

export interface XhrResponse {
  status: number
  text: string
  header(name: string): string
}

/** Sends the request; resolves on 2xx, rejects with a CosRequestError otherwise. */
export async function sendXhr(request: XhrRequest): Promise<XhrResponse> {
  const headers = { ...request.headers }
  if (request.authorize) headers.authorization = await request.authorize(request.method, request.url, headers)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(request.method, request.url)
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value)
    if (request.onProgress) {
      const report = request.onProgress
      xhr.upload.onprogress = (event) => report(event.loaded)
    }
    const abort = (): void => xhr.abort()
    request.signal?.addEventListener('abort', abort, { once: true })
    const done = (): void => request.signal?.removeEventListener('abort', abort)
    xhr.onload = () => {
      done()
      const requestId = xhr.getResponseHeader('x-cos-request-id') ?? ''
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ status: xhr.status, text: xhr.responseText, header: (name) => xhr.getResponseHeader(name) ?? '' })
      } else {
        reject(cosErrorFrom(xhr.status, xhr.responseText, requestId))
      }
    }
    xhr.onerror = () => {
      done()
      reject(networkError(new URL(request.url).origin, new Error('network error')))
    }
    xhr.onabort = () => {
      done()
      reject(new CosRequestError('Cancelled', 'The transfer was cancelled', 0))
    }
    xhr.send(request.body ?? null)
  })
}
