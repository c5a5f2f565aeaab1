/**
 * A small browser client for the COS XML API, path-style (`<endpoint>/<bucket>/<key>`).
 * Uploads go through the COS API itself, so they fire exactly the events a real client's would.
 */
import { cosErrorFrom, CosRequestError, networkError } from './cos/cos-error.ts'
import { contentMd5 } from './cos/md5.ts'
import { MULTIPART_THRESHOLD, multipartUpload } from './cos/multipart.ts'
import { parseBucketList, parseObjectList } from './cos/list-parse.ts'
import type { Authorize } from './cos/q-sign.ts'
import type { BucketEntry, DeleteOutcome, ListOptions, ObjectPage, ProgressListener, RestoreTier } from './cos/types.ts'
import { childText, children, escapeXml, parseXml } from './cos/xml.ts'
import { sendXhr } from './cos/xhr.ts'

export { CosRequestError } from './cos/cos-error.ts'
export type * from './cos/types.ts'

/** Delete Multiple accepts at most this many keys per request. */
const DELETE_BATCH = 1000

/** Percent-encodes a key for a URL path, keeping the `/` separators. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}

export interface UploadOptions {
  contentType?: string
  storageClass?: string
  signal?: AbortSignal
  onProgress?: ProgressListener
}

export interface ObjectHead {
  status: number
  /** Every response header the browser may read, as [name, value] pairs. */
  headers: [string, string][]
}

interface RequestInit {
  query?: Record<string, string>
  headers?: Record<string, string>
  body?: string | Blob
}

export class CosClient {
  /** `authorize` signs every request; without it requests are unsigned (open mode). */
  constructor(
    readonly endpoint: string,
    private readonly authorize?: Authorize
  ) {}

  /** URL of a bucket or object, with an optional query. */
  url(bucket: string, key = '', query: Record<string, string> = {}): string {
    const search = Object.entries(query)
      .map(([name, value]) => (value === '' ? encodeURIComponent(name) : `${name}=${encodeURIComponent(value)}`))
      .join('&')
    const path = bucket ? `/${encodeURIComponent(bucket)}/${encodeKey(key)}` : '/'
    return `${this.endpoint}${path}${search ? `?${search}` : ''}`
  }

  async #request(method: string, bucket: string, key: string, init: RequestInit = {}): Promise<Response> {
    const url = this.url(bucket, key, init.query)
    const headers = { ...init.headers }
    if (this.authorize) headers.authorization = await this.authorize(method, url, headers)
    let response: Response
    try {
      response = await fetch(url, { method, headers, body: init.body })
    } catch (error) {
      throw networkError(this.endpoint, error)
    }
    if (!response.ok) {
      const body = method === 'HEAD' ? '' : await response.text().catch(() => '')
      throw cosErrorFrom(response.status, body, response.headers.get('x-cos-request-id') ?? '')
    }
    return response
  }

  /** GET Service: every bucket of the account. */
  async listBuckets(): Promise<BucketEntry[]> {
    const response = await this.#request('GET', '', '')
    return parseBucketList(await response.text())
  }

  /** PUT Bucket. */
  async createBucket(bucket: string): Promise<void> {
    await this.#request('PUT', bucket, '')
  }

  /** DELETE Bucket (it must be empty). */
  async deleteBucket(bucket: string): Promise<void> {
    await this.#request('DELETE', bucket, '')
  }

  /** GET Bucket: one page of keys (URL-encoded on the wire, decoded here). */
  async listObjects(bucket: string, options: ListOptions = {}): Promise<ObjectPage> {
    const query: Record<string, string> = { 'encoding-type': 'url', 'max-keys': String(options.maxKeys ?? 1000) }
    if (options.prefix) query.prefix = options.prefix
    if (options.delimiter) query.delimiter = options.delimiter
    if (options.marker) query.marker = options.marker
    const response = await this.#request('GET', bucket, '', { query })
    return parseObjectList(await response.text())
  }

  /** HEAD Object: status and all readable headers. */
  async headObject(bucket: string, key: string): Promise<ObjectHead> {
    const response = await this.#request('HEAD', bucket, key)
    // CORS bookkeeping headers say nothing about the object.
    const headers = [...response.headers.entries()].filter(([name]) => !name.startsWith('access-control-'))
    return { status: response.status, headers }
  }

  /** PUT Object (with progress), or a multipart upload for files over 16 MiB. */
  async upload(bucket: string, key: string, file: Blob, options: UploadOptions = {}): Promise<void> {
    const headers: Record<string, string> = {}
    if (options.contentType) headers['content-type'] = options.contentType
    if (options.storageClass) headers['x-cos-storage-class'] = options.storageClass
    const url = this.url(bucket, key)
    const progress = options.onProgress
    if (file.size > MULTIPART_THRESHOLD) {
      await multipartUpload(file, {
        url,
        headers,
        signal: options.signal,
        onProgress: progress,
        authorize: this.authorize
      })
    } else {
      await sendXhr({
        method: 'PUT',
        url,
        headers,
        body: file,
        signal: options.signal,
        authorize: this.authorize,
        onProgress: progress && ((loaded) => progress(loaded, file.size))
      })
    }
    progress?.(file.size, file.size)
  }

  /** A folder is a zero-byte object whose key ends in `/`. */
  async createFolder(bucket: string, prefix: string): Promise<void> {
    const key = prefix.endsWith('/') ? prefix : `${prefix}/`
    await this.#request('PUT', bucket, key, { body: '' })
  }

  /** A URL whose GET answers with `Content-Disposition: attachment` (pre-signed when signing). */
  async downloadUrl(bucket: string, key: string): Promise<string> {
    const name = key.split('/').filter(Boolean).at(-1) ?? 'download'
    const url = this.url(bucket, key, {
      'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`
    })
    return this.authorize ? `${url}&${await this.authorize('GET', url, {})}` : url
  }

  /** Reads one byte: fails with COS's error (e.g. InvalidObjectState) when GET would. */
  async checkReadable(bucket: string, key: string): Promise<void> {
    const response = await this.#request('GET', bucket, key, { headers: { range: 'bytes=0-0' } })
    await response.body?.cancel()
  }

  /** DELETE Object. */
  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.#request('DELETE', bucket, key)
  }

  /** Delete Multiple Objects (POST ?delete, Content-MD5), in batches of 1000. */
  async deleteObjects(bucket: string, keys: string[]): Promise<DeleteOutcome> {
    const outcome: DeleteOutcome = { deleted: [], errors: [] }
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH)
      const body = `<Delete><Quiet>false</Quiet>${batch.map((key) => `<Object><Key>${escapeXml(key)}</Key></Object>`).join('')}</Delete>`
      const response = await this.#request('POST', bucket, '', {
        query: { delete: '' },
        headers: { 'content-type': 'application/xml', 'content-md5': contentMd5(body) },
        body
      })
      const root = parseXml(await response.text())?.documentElement
      if (!root) throw new CosRequestError('InvalidResponse', 'Delete Multiple returned no DeleteResult', 200)
      for (const item of children(root, 'Deleted')) outcome.deleted.push(childText(item, 'Key') ?? '')
      for (const item of children(root, 'Error')) {
        outcome.errors.push({
          key: childText(item, 'Key') ?? '',
          code: childText(item, 'Code') ?? '',
          message: childText(item, 'Message') ?? ''
        })
      }
    }
    return outcome
  }

  /** POST Object restore: a temporary copy of an ARCHIVE / DEEP_ARCHIVE object for `days`. */
  async restoreObject(bucket: string, key: string, days: number, tier: RestoreTier): Promise<void> {
    const body = `<RestoreRequest><Days>${days}</Days><CASJobParameters><Tier>${tier}</Tier></CASJobParameters></RestoreRequest>`
    await this.#request('POST', bucket, key, {
      query: { restore: '' },
      headers: { 'content-type': 'application/xml', 'content-md5': contentMd5(body) },
      body
    })
  }
}
