/**
 * The UI's COS client: a thin adapter over Tencent's official browser SDK (cos-js-sdk-v5).
 * The SDK signs, retries, corrects clock skew, runs slice uploads with resume and keeps the
 * task list; this file only maps its parameters and results to plain data and its errors to
 * CosRequestError (COS Code, Message, RequestId). It works against the emulator (path-style
 * through `Domain: '<host>/{Bucket}'`) and against any COS endpoint with real credentials.
 */
import COS from 'cos-js-sdk-v5'
import { CosRequestError, fromSdkError } from './cos-error.ts'
import { fetchListing, parseListingOffThread } from './list-xml.ts'
import type { EmulatedClock } from './emulated-clock.ts'
import type {
  BucketEntry,
  DeleteOutcome,
  DeleteTarget,
  ListOptions,
  ObjectHead,
  ObjectPage,
  RestoreTier,
  Tag,
  VersioningStatus,
  VersionPage
} from './types.ts'

export { CosRequestError }
export type * from './types.ts'

/** Delete Multiple accepts at most this many keys per request. */
const DELETE_BATCH = 1000
/** Files above this size go up in parts (resumable); smaller ones in one PUT. */
export const SLICE_SIZE = 8 * 1024 * 1024

export interface CosConnection {
  /** `http://127.0.0.1:9500` for the emulator (path-style); empty for Tencent's own domains. */
  endpoint: string
  secretId: string
  secretKey: string
  /** Region of buckets whose region is not known from GET Service. */
  defaultRegion: string
  /** The server clock (emulated time and speed); signatures use it. */
  clock?: EmulatedClock
  /**
   * Signs each request elsewhere (a saved connection: the app API holds its SecretKey), as
   * cos-js-sdk-v5's getAuthorization; then secretId/secretKey are not used.
   */
  sign?: (request: SignInput) => Promise<{ authorization: string; securityToken?: string }>
}

/** The request cos-js-sdk-v5 asks getAuthorization to sign. */
export interface SignInput {
  method: string
  pathname: string
  query: Record<string, string>
  headers: Record<string, string>
}

const strings = (record: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((record ?? {}) as Record<string, unknown>)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => [name, String(value)])
  )

/** Bucket settings edited as XML (CORS, origin-pull, replication). */
export type BucketSubresource = 'cors' | 'origin' | 'replication'

export interface UploadParams {
  bucket: string
  key: string
  file: File | Blob
  storageClass?: string
  contentType?: string
  /** x-cos-meta-* (without the prefix) and standard headers such as Cache-Control. */
  headers?: Record<string, string>
  onTaskReady?: (taskId: string) => void
  onProgress?: (info: { loaded: number; total: number; speed: number; percent: number }) => void
}

export interface CopyOptions {
  sourceBucket?: string
  versionId?: string
  /** `Replaced` rewrites metadata and headers from `headers`; default `Copy`. */
  metadataDirective?: 'Copy' | 'Replaced'
  storageClass?: string
  headers?: Record<string, string>
}

type Sdk = InstanceType<typeof COS>
type Params = Record<string, unknown>

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** Base64 of the MD5 digest (Content-MD5), from the SDK's hex MD5 of the UTF-8 text. */
function contentMd5(text: string): string {
  const hex = COS.util.md5(text)
  const bytes = hex.match(/../g)!.map((pair) => String.fromCharCode(parseInt(pair, 16)))
  return btoa(bytes.join(''))
}

function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value)
}

export class CosClient {
  readonly sdk: Sdk
  readonly #regions = new Map<string, string>()

  constructor(readonly connection: CosConnection) {
    const url = connection.endpoint ? new URL(connection.endpoint) : undefined
    const options: Params = {
      SecretId: connection.secretId,
      SecretKey: connection.secretKey,
      Protocol: url ? url.protocol : 'https:',
      ChunkSize: SLICE_SIZE,
      SliceSize: SLICE_SIZE,
      ChunkRetryTimes: 3,
      FileParallelLimit: 3,
      ChunkParallelLimit: 3,
      CorrectClockSkew: true,
      UploadQueueSize: 100_000
    }
    if (url) {
      options.Domain = `${url.host}/{Bucket}`
      options.ServiceDomain = url.host
    }
    const sign = connection.sign
    if (sign) {
      delete options.SecretId
      delete options.SecretKey
      options.getAuthorization = (request: Params, done: (auth: Params) => void) => {
        const input = {
          method: String(request.Method ?? 'GET'),
          pathname: String(request.Pathname ?? '/'),
          query: strings(request.Query),
          headers: strings(request.Headers)
        }
        sign(input).then(
          (auth) => done({ Authorization: auth.authorization, SecurityToken: auth.securityToken }),
          (error: Error) => done({ Authorization: '', error: error.message })
        )
      }
    }
    this.sdk = new COS(options)
    const clock = connection.clock
    if (clock) {
      // The SDK reads the offset on every signature and writes it when it corrects a skew.
      Object.defineProperty(this.#options, 'SystemClockOffset', {
        get: () => clock.offset(),
        set: (offset: number) => clock.anchor(Date.now() + offset),
        configurable: true
      })
    }
  }

  /** The SDK reads its options on every request and task start. */
  get #options(): Params {
    return (this.sdk as unknown as { options: Params }).options
  }

  get endpoint(): string {
    return this.connection.endpoint
  }

  regionOf(bucket: string): string {
    return this.#regions.get(bucket) ?? this.connection.defaultRegion
  }

  /** Runs one SDK call with Bucket and Region filled in, mapping its error. */
  async #call<T = Params>(method: string, bucket: string, params: Params = {}): Promise<T> {
    const fn = (this.sdk as unknown as Record<string, (p: Params) => Promise<T>>)[method]!
    try {
      return await fn.call(this.sdk, { Bucket: bucket, Region: this.regionOf(bucket), ...params })
    } catch (error) {
      throw fromSdkError(error, this.endpoint)
    }
  }

  /** GET Service: every bucket of the account. */
  async listBuckets(): Promise<BucketEntry[]> {
    let data: Params
    try {
      data = (await this.sdk.getService({})) as unknown as Params
    } catch (error) {
      throw fromSdkError(error, this.endpoint)
    }
    const buckets = list(data.Buckets as Params[]).map((bucket) => ({
      name: str(bucket.Name),
      region: str(bucket.Location),
      creationDate: str(bucket.CreationDate)
    }))
    for (const bucket of buckets) if (bucket.region) this.#regions.set(bucket.name, bucket.region)
    return buckets.sort((a, b) => a.name.localeCompare(b.name))
  }

  /**
   * PUT Bucket in `region`. On Tencent's domains the region is in the Host name; a path-style
   * endpoint (the emulator, a shared COS Local) has no place for it in the URL, so the request
   * carries it as `CreateBucketConfiguration/LocationConstraint` (without it the bucket would
   * land in the server's default region whatever was chosen).
   */
  async createBucket(bucket: string, region = this.connection.defaultRegion): Promise<void> {
    this.#regions.set(bucket, region)
    if (!this.endpoint) {
      await this.#call('putBucket', bucket, { Region: region })
      return
    }
    const body = `<CreateBucketConfiguration><LocationConstraint>${escapeXmlText(region)}</LocationConstraint></CreateBucketConfiguration>`
    await this.#call('request', bucket, {
      Region: region,
      Method: 'PUT',
      Body: body,
      Headers: { 'Content-Type': 'application/xml' }
    })
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.#call('deleteBucket', bucket)
  }

  async getVersioning(bucket: string): Promise<VersioningStatus> {
    const data = await this.#call<Params>('getBucketVersioning', bucket)
    const status = str((data.VersioningConfiguration as Params | undefined)?.Status)
    return status === 'Enabled' || status === 'Suspended' ? status : ''
  }

  async setVersioning(bucket: string, status: 'Enabled' | 'Suspended'): Promise<void> {
    await this.#call('putBucketVersioning', bucket, { VersioningConfiguration: { Status: status } })
  }

  /**
   * A signed GET of the bucket with a query, parsed by the browser's XML parser (see
   * list-xml.ts). A skewed clock is corrected from the server's Date and the request retried
   * once, as the SDK does; a 5xx or network failure is retried once too.
   */
  async #listing(bucket: string, query: Record<string, string | undefined>): Promise<string> {
    const clean: Record<string, string> = {}
    for (const [name, value] of Object.entries(query)) if (value !== undefined) clean[name] = value
    const search = Object.entries(clean)
      .map(([name, value]) =>
        value === '' ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`
      )
      .join('&')
    for (let attempt = 0; ; attempt++) {
      // The SDK's own q-sign (its static form: the instance method is wrapped as an async API),
      // or the connection's signer when the page does not hold the SecretKey.
      const headers: Record<string, string> = {}
      if (this.connection.sign) {
        const signed = await this.connection.sign({ method: 'GET', pathname: '/', query: clean, headers: {} })
        headers.authorization = signed.authorization
        if (signed.securityToken) headers['x-cos-security-token'] = signed.securityToken
      } else {
        headers.authorization = COS.getAuthorization({
          SecretId: this.connection.secretId,
          SecretKey: this.connection.secretKey,
          Method: 'GET',
          Key: '',
          Query: clean,
          SystemClockOffset: Number(this.#options.SystemClockOffset) || 0
        } as COS.StaticGetAuthorizationOptions)
      }
      const url = `${this.bucketUrl(bucket)}${search ? `?${search}` : ''}`
      try {
        return await fetchListing({ url, headers }, this.endpoint)
      } catch (error) {
        const failure = error as CosRequestError & { serverDate?: string }
        if (attempt > 0) throw error
        if (failure.code === 'RequestTimeTooSkewed' || failure.cosMessage === 'Request has expired') {
          const serverNow = Date.parse(failure.serverDate ?? '')
          if (!Number.isFinite(serverNow)) throw error
          this.#options.SystemClockOffset = serverNow - Date.now()
          continue
        }
        if (!(failure.status >= 500 || failure.code === 'NetworkError')) throw error
      }
    }
  }

  /** GET Bucket: one page of keys (URL-encoded on the wire, decoded here). */
  async listObjects(bucket: string, options: ListOptions = {}): Promise<ObjectPage> {
    const body = await this.#listing(bucket, {
      prefix: options.prefix ?? '',
      delimiter: options.delimiter,
      marker: options.marker,
      'max-keys': String(options.maxKeys ?? 1000),
      'encoding-type': 'url'
    })
    return parseListingOffThread('objects', body)
  }

  /** GET Bucket ?versions: one page of versions and delete markers, newest first per key. */
  async listVersions(
    bucket: string,
    options: ListOptions & { keyMarker?: string; versionIdMarker?: string } = {}
  ): Promise<VersionPage> {
    const body = await this.#listing(bucket, {
      versions: '',
      prefix: options.prefix ?? '',
      delimiter: options.delimiter,
      'key-marker': options.keyMarker,
      'version-id-marker': options.versionIdMarker,
      'max-keys': String(options.maxKeys ?? 1000),
      'encoding-type': 'url'
    })
    return parseListingOffThread('versions', body)
  }

  /** HEAD Object: status and all readable headers. */
  async headObject(bucket: string, key: string, versionId?: string): Promise<ObjectHead> {
    const data = await this.#call<Params>('headObject', bucket, { Key: key, VersionId: versionId })
    const headers = Object.entries((data.headers ?? {}) as Record<string, unknown>)
      .filter(([name]) => !name.startsWith('access-control-'))
      .map(([name, value]): [string, string] => [name, str(value)])
      .sort(([a], [b]) => a.localeCompare(b))
    return { status: Number(data.statusCode ?? 200), headers }
  }

  /** PUT Object of a small body (folders, edited text). */
  async putObject(
    bucket: string,
    key: string,
    body: string | Blob,
    headers: Record<string, string> = {}
  ): Promise<void> {
    await this.#call('putObject', bucket, { Key: key, Body: body, Headers: headers })
  }

  /** A folder is a zero-byte object whose key ends in `/`. */
  async createFolder(bucket: string, prefix: string): Promise<void> {
    await this.putObject(bucket, prefix.endsWith('/') ? prefix : `${prefix}/`, '')
  }

  /**
   * Queues an upload in the SDK's task list and returns its task id: one PUT up to
   * SLICE_SIZE, slice upload above it (resumed from the parts already stored when the same
   * file goes to the same key again, even after a reload). `onFinish` runs each time the task
   * ends, so also after a retry (restartTask) of a failed task.
   */
  startUpload(params: UploadParams, onFinish: (error?: CosRequestError) => void): string {
    const file = params.file as File & { lastModifiedDate?: Date }
    // The SDK keys its resume cache on lastModifiedDate, which newer browsers dropped.
    if (file instanceof File && !file.lastModifiedDate) {
      Object.defineProperty(file, 'lastModifiedDate', { value: new Date(file.lastModified) })
    }
    let taskId = ''
    this.sdk.uploadFile(
      {
        Bucket: params.bucket,
        Region: this.regionOf(params.bucket),
        Key: params.key,
        Body: file,
        SliceSize: SLICE_SIZE,
        StorageClass: (params.storageClass || undefined) as COS.StorageClass | undefined,
        ContentType: params.contentType || undefined,
        Headers: { ...params.headers },
        onTaskReady: (id: string) => {
          taskId = id
          params.onTaskReady?.(id)
        },
        onProgress: params.onProgress,
        onFileFinish: (error: unknown) => onFinish(error ? fromSdkError(error, this.endpoint) : undefined)
      } as COS.UploadFileParams,
      () => {}
    )
    return taskId
  }

  pauseTask(taskId: string): void {
    this.sdk.pauseTask(taskId)
  }

  restartTask(taskId: string): void {
    this.sdk.restartTask(taskId)
  }

  cancelTask(taskId: string): void {
    this.sdk.cancelTask(taskId)
  }

  /** How many files upload at once (the SDK reads it each time it starts a task). */
  setConcurrency(files: number): void {
    this.#options.FileParallelLimit = Math.max(1, files)
  }

  /** The bucket's URL: path-style on the emulator, COS's virtual-host name elsewhere. */
  bucketUrl(bucket: string): string {
    if (this.endpoint) return `${this.endpoint}/${encodeURIComponent(bucket)}/`
    return `https://${bucket}.cos.${this.regionOf(bucket)}.myqcloud.com/`
  }

  /** The object's URL, unsigned. */
  objectUrl(bucket: string, key: string): string {
    return this.sdk.getObjectUrl({ Bucket: bucket, Region: this.regionOf(bucket), Key: key, Sign: false }, () => {})
  }

  /** A pre-signed GET URL valid for `expires` seconds (optionally a version, as an attachment). */
  async presignedUrl(
    bucket: string,
    key: string,
    options: { expires?: number; versionId?: string; download?: boolean } = {}
  ): Promise<string> {
    const query: Record<string, string> = {}
    if (options.versionId) query.versionId = options.versionId
    if (options.download) {
      const name = key.split('/').filter(Boolean).at(-1) ?? 'download'
      query['response-content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(name)}`
    }
    return new Promise((resolve, reject) => {
      this.sdk.getObjectUrl(
        {
          Bucket: bucket,
          Region: this.regionOf(bucket),
          Key: key,
          Sign: true,
          Expires: options.expires ?? 900,
          Query: query
        },
        (error, data) => (error ? reject(fromSdkError(error, this.endpoint)) : resolve(data.Url))
      )
    })
  }

  /** A URL whose GET answers with `Content-Disposition: attachment`. */
  downloadUrl(bucket: string, key: string, versionId?: string): Promise<string> {
    return this.presignedUrl(bucket, key, { download: true, versionId })
  }

  /** Reads one byte: fails with COS's error (e.g. InvalidObjectState) when GET would. */
  async checkReadable(bucket: string, key: string, versionId?: string): Promise<void> {
    await this.#call('getObject', bucket, {
      Key: key,
      VersionId: versionId,
      Headers: { Range: 'bytes=0-0' },
      DataType: 'blob'
    })
  }

  async deleteObject(bucket: string, key: string, versionId?: string): Promise<void> {
    await this.#call('deleteObject', bucket, { Key: key, VersionId: versionId })
  }

  /** Delete Multiple Objects, in batches of 1000; per-key failures are returned, not thrown. */
  async deleteObjects(bucket: string, targets: (string | DeleteTarget)[]): Promise<DeleteOutcome> {
    const outcome: DeleteOutcome = { deleted: [], errors: [] }
    const objects = targets.map((target) =>
      typeof target === 'string' ? { Key: target } : { Key: target.key, VersionId: target.versionId }
    )
    for (let start = 0; start < objects.length; start += DELETE_BATCH) {
      const data = await this.#call<Params>('deleteMultipleObject', bucket, {
        Objects: objects.slice(start, start + DELETE_BATCH),
        Quiet: false
      })
      for (const item of list(data.Deleted as Params[])) outcome.deleted.push(str(item.Key))
      for (const item of list(data.Error as Params[])) {
        outcome.errors.push({ key: str(item.Key), code: str(item.Code), message: str(item.Message) })
      }
    }
    return outcome
  }

  /** POST Object restore: a temporary copy of an ARCHIVE / DEEP_ARCHIVE object for `days`. */
  async restoreObject(bucket: string, key: string, days: number, tier: RestoreTier, versionId?: string): Promise<void> {
    await this.#call('restoreObject', bucket, {
      Key: key,
      VersionId: versionId,
      RestoreRequest: { Days: days, CASJobParameters: { Tier: tier } }
    })
  }

  /** PUT Object - Copy (server-side), within or across buckets; in place with `Replaced` rewrites metadata. */
  async copyObject(bucket: string, sourceKey: string, targetKey: string, options: CopyOptions = {}): Promise<void> {
    const sourceBucket = options.sourceBucket ?? bucket
    const encoded = sourceKey.split('/').map(encodeURIComponent).join('/')
    const version = options.versionId ? `?versionId=${encodeURIComponent(options.versionId)}` : ''
    const headers: Record<string, string> = { ...options.headers }
    if (options.metadataDirective) headers['x-cos-metadata-directive'] = options.metadataDirective
    if (options.storageClass) headers['x-cos-storage-class'] = options.storageClass
    await this.#call('putObjectCopy', bucket, {
      Key: targetKey,
      CopySource: `${sourceBucket}.cos.${this.regionOf(sourceBucket)}.myqcloud.com/${encoded}${version}`,
      Headers: headers
    })
  }

  async getTags(bucket: string, key: string, versionId?: string): Promise<Tag[]> {
    const data = await this.#call<Params>('getObjectTagging', bucket, { Key: key, VersionId: versionId })
    return list(data.Tags as Params[]).map((tag) => ({ key: str(tag.Key), value: str(tag.Value) }))
  }

  async putTags(bucket: string, key: string, tags: Tag[], versionId?: string): Promise<void> {
    if (tags.length === 0) {
      await this.#call('deleteObjectTagging', bucket, { Key: key, VersionId: versionId })
      return
    }
    await this.#call('putObjectTagging', bucket, {
      Key: key,
      VersionId: versionId,
      Tags: tags.map((tag) => ({ Key: tag.key, Value: tag.value }))
    })
  }

  /** A bucket sub-resource as its raw XML ('' when the bucket has none). */
  async getBucketXml(bucket: string, sub: BucketSubresource): Promise<string> {
    try {
      const data = await this.#call<Params>('request', bucket, { Method: 'GET', Action: sub, RawBody: true })
      return str(data.Body)
    } catch (error) {
      if ((error as { status?: number }).status === 404 && !/NoSuchBucket/.test(String(error))) return ''
      throw error
    }
  }

  /** PUT a bucket sub-resource's XML as typed; COS validates it and its error is thrown. */
  async putBucketXml(bucket: string, sub: BucketSubresource, xml: string): Promise<void> {
    const headers: Record<string, string> = { 'Content-Type': 'application/xml', 'Content-MD5': contentMd5(xml) }
    await this.#call('request', bucket, { Method: 'PUT', Action: sub, Body: xml, Headers: headers })
  }

  async deleteBucketXml(bucket: string, sub: BucketSubresource): Promise<void> {
    await this.#call('request', bucket, { Method: 'DELETE', Action: sub })
  }

  /** Aborts every unfinished multipart upload of a bucket; returns how many. */
  async abortMultipartUploads(bucket: string): Promise<number> {
    let aborted = 0
    for (;;) {
      const data = await this.#call<Params>('multipartList', bucket, {})
      const uploads = list(data.Upload as Params[])
      for (const upload of uploads) {
        await this.#call('multipartAbort', bucket, { Key: str(upload.Key), UploadId: str(upload.UploadId) })
        aborted++
      }
      if (str(data.IsTruncated) !== 'true' || uploads.length === 0) return aborted
    }
  }
}
