/**
 * POST Object: a browser form upload (multipart/form-data) to a bucket. The form fields
 * before the `file` part carry the key (with `${filename}`), the object's headers and the
 * policy + q-sign signature (core/cos/post-policy.ts). The file is streamed by busboy
 * straight into the store (never buffered), with the policy's content-length-range
 * enforced while it flows, and the write emits cos:ObjectCreated:Post.
 */
import { Transform, type TransformCallback, type Readable } from 'node:stream'
import busboy from 'busboy'
import { CosError } from '../../core/cos/errors.ts'
import { checkPostContentLength, checkPostPolicy, type LengthRange } from '../../core/cos/post-policy.ts'
import { parseStorageClass } from '../../core/cos/storage-class.ts'
import { escapeXml } from '../../core/cos/xml-escape.ts'
import { bucketHost } from '../../core/cos/bucket-name.ts'
import type { ObjectHeaders, ObjectVersion } from '../../storage/object-store.ts'
import type { Exchange } from '../exchange.ts'
import { baseHeaders, sendEmpty, sendXml } from '../exchange.ts'
import { contentTypeFor, fromWire } from '../object-headers.ts'
import { XML_DECLARATION, quoteEtag } from '../xml-out.ts'
import { versionHeader } from './object-write.ts'

const MAX_OBJECT_BYTES = 5 * 1024 ** 3
const STORED_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['content-type', 'Content-Type'],
  ['cache-control', 'Cache-Control'],
  ['content-disposition', 'Content-Disposition'],
  ['content-encoding', 'Content-Encoding'],
  ['expires', 'Expires']
]

interface Upload {
  key: string
  version: ObjectVersion
  fields: Map<string, string>
}

export async function postObject(ex: Exchange): Promise<void> {
  if (!/^multipart\/form-data/i.test(ex.req.headers['content-type'] ?? '')) {
    throw new CosError('MalformedPOSTRequest', 'POST Object needs a multipart/form-data body.')
  }
  const upload = await receiveForm(ex)
  respond(ex, upload)
}

function receiveForm(ex: Exchange): Promise<Upload> {
  return new Promise<Upload>((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: ex.req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 1000, fieldSize: 1024 * 1024, fileSize: MAX_OBJECT_BYTES + 1 }
      })
    } catch {
      reject(
        new CosError('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.')
      )
      return
    }
    const fields = new Map<string, string>()
    let settled = false
    let sawFile = false
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      ex.req.unpipe(parser)
      ex.req.resume() // drain the rest so the error can be answered
      reject(error)
    }

    parser.on('field', (name, value) => {
      if (!sawFile && !fields.has(name.toLowerCase())) fields.set(name.toLowerCase(), value)
    })
    parser.on('file', (name, file, info) => {
      if (name.toLowerCase() !== 'file' || sawFile) {
        file.resume()
        return
      }
      sawFile = true
      const check = checkPostPolicy({
        fields,
        bucket: ex.target.bucket,
        filename: info.filename ?? '',
        nowMs: ex.features.clock.now(),
        secretFor: ex.features.secretFor
      })
      if (!check.ok) {
        file.resume()
        fail(
          new CosError(check.code, check.message + (check.stringToSign ? ` StringToSign: ${check.stringToSign}` : ''))
        )
        return
      }
      let storageClass
      try {
        storageClass = parseStorageClass(fields.get('x-cos-storage-class'))
      } catch (error) {
        file.resume()
        fail(error)
        return
      }
      const body = file.pipe(new LengthGuard(check.lengthRange))
      file.on('limit', () =>
        body.destroy(
          new CosError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size of 5 GB.')
        )
      )
      ex.store
        .putObject(
          ex.target.bucket,
          check.key,
          body as Readable,
          { headers: formHeaders(fields, check.key), storageClass, event: 'cos:ObjectCreated:Post' },
          ex.context
        )
        .then(
          (version) => {
            if (settled) return
            settled = true
            resolve({ key: check.key, version, fields })
          },
          (error: unknown) => fail(error)
        )
    })
    parser.on('filesLimit', () =>
      fail(new CosError('IncorrectNumberOfFilesInPostRequest', 'POST requires exactly one file upload per request.'))
    )
    parser.on('error', () =>
      fail(
        new CosError('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.')
      )
    )
    parser.on('close', () => {
      if (!sawFile)
        fail(
          new CosError(
            'IncorrectNumberOfFilesInPostRequest',
            'POST requires exactly one file upload per request, in a field named "file".'
          )
        )
    })
    ex.req.on('error', fail)
    ex.req.pipe(parser)
  })
}

/** The object headers a form sets: Content-Type etc. and x-cos-meta-* fields. */
function formHeaders(fields: Map<string, string>, key: string): ObjectHeaders {
  const out: ObjectHeaders = { 'Content-Type': '' }
  for (const [lower, canonical] of STORED_FIELDS) {
    const value = fields.get(lower)
    if (value !== undefined && value !== '') out[canonical] = fromWire(value)
  }
  out['Content-Type'] = contentTypeFor(key, out['Content-Type'])
  for (const [name, value] of fields) {
    if (name.startsWith('x-cos-meta-')) out[name] = value
  }
  return out
}

function respond(ex: Exchange, upload: Upload): void {
  const { version, fields } = upload
  const location = `http://${bucketHost(ex.target.bucket, ex.region)}/${encodeURI(upload.key)}`
  const headers = { ETag: quoteEtag(version.etag), Location: location, ...versionHeader(ex, version.versionId) }
  const redirect = fields.get('success_action_redirect')
  if (redirect) {
    let target: URL | undefined
    try {
      target = new URL(redirect)
    } catch {
      target = undefined
    }
    if (target && (target.protocol === 'http:' || target.protocol === 'https:')) {
      target.searchParams.set('bucket', ex.target.bucket)
      target.searchParams.set('key', upload.key)
      target.searchParams.set('etag', quoteEtag(version.etag))
      ex.res.writeHead(303, { ...baseHeaders(ex), ...headers, Location: target.toString(), 'Content-Length': 0 })
      ex.res.end()
      return
    }
  }
  const status = fields.get('success_action_status')
  if (status === '200') {
    sendEmpty(ex, 200, headers)
  } else if (status === '201') {
    const xml =
      `${XML_DECLARATION}<PostResponse><Location>${escapeXml(location)}</Location>` +
      `<Bucket>${escapeXml(ex.target.bucket)}</Bucket><Key>${escapeXml(upload.key)}</Key>` +
      `<ETag>${escapeXml(quoteEtag(version.etag))}</ETag></PostResponse>`
    sendXml(ex, 201, xml, headers)
  } else {
    sendEmpty(ex, 204, headers)
  }
}

/** Counts the file's bytes and fails the stream outside a content-length-range. */
class LengthGuard extends Transform {
  #size = 0
  readonly #range: LengthRange | undefined

  constructor(range: LengthRange | undefined) {
    super()
    this.#range = range
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length
    if (this.#range && this.#size > this.#range.max) {
      const problem = checkPostContentLength(this.#size, this.#range)
      callback(new CosError(problem?.code ?? 'EntityTooLarge', problem?.message ?? 'The upload is too large.'))
      return
    }
    callback(null, chunk)
  }

  override _flush(callback: TransformCallback): void {
    const problem = checkPostContentLength(this.#size, this.#range)
    callback(problem ? new CosError(problem.code, problem.message) : null)
  }
}
