/**
 * Multipart upload of one large file: Initiate, Upload Part (a few in parallel, each with its
 * own progress), Complete; Abort when anything fails so no parts are left behind.
 */
import { CosRequestError } from './cos-error.ts'
import type { Authorize } from './q-sign.ts'
import type { ProgressListener } from './types.ts'
import { escapeXml, childText, parseXml } from './xml.ts'
import { sendXhr } from './xhr.ts'

/** Files above this size are uploaded in parts. */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024
const MIN_PART_SIZE = 8 * 1024 * 1024
const MAX_PARTS = 10_000
const PARALLEL_PARTS = 3

/** Part size: 8 MiB, grown so the file fits in 10,000 parts. */
export function partSize(fileSize: number): number {
  const needed = Math.ceil(fileSize / MAX_PARTS)
  return Math.max(MIN_PART_SIZE, Math.ceil(needed / (1024 * 1024)) * 1024 * 1024)
}

export interface MultipartTarget {
  /** URL of the object (no query). */
  url: string
  headers: Record<string, string>
  signal?: AbortSignal
  onProgress?: ProgressListener
  authorize?: Authorize
}

async function initiate(target: MultipartTarget): Promise<string> {
  const response = await sendXhr({
    method: 'POST',
    url: `${target.url}?uploads`,
    headers: target.headers,
    signal: target.signal,
    authorize: target.authorize
  })
  const root = parseXml(response.text)?.documentElement
  const uploadId = root ? childText(root, 'UploadId') : undefined
  if (!uploadId) throw new CosRequestError('InvalidResponse', 'Initiate Multipart Upload returned no UploadId', 200)
  return uploadId
}

function completionXml(etags: string[]): string {
  const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`)
  return `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`
}

/** Uploads `file` in parts to `target.url`. */
export async function multipartUpload(file: Blob, target: MultipartTarget): Promise<void> {
  const uploadId = await initiate(target)
  const query = `uploadId=${encodeURIComponent(uploadId)}`
  const size = partSize(file.size)
  const count = Math.max(1, Math.ceil(file.size / size))
  const sent = new Array<number>(count).fill(0)
  const etags = new Array<string>(count)
  const report = (): void =>
    target.onProgress?.(
      sent.reduce((a, b) => a + b, 0),
      file.size
    )
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++
      const response = await sendXhr({
        method: 'PUT',
        url: `${target.url}?partNumber=${index + 1}&${query}`,
        body: file.slice(index * size, Math.min(file.size, (index + 1) * size)),
        signal: target.signal,
        authorize: target.authorize,
        onProgress: (loaded) => {
          sent[index] = loaded
          report()
        }
      })
      const etag = response.header('ETag')
      if (!etag)
        throw new CosRequestError('InvalidResponse', 'Upload Part returned no ETag (is it exposed by CORS?)', 200)
      etags[index] = etag
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, count) }, worker))
    await sendXhr({
      method: 'POST',
      url: `${target.url}?${query}`,
      headers: { 'content-type': 'application/xml' },
      body: completionXml(etags),
      signal: target.signal,
      authorize: target.authorize
    })
  } catch (error) {
    await sendXhr({ method: 'DELETE', url: `${target.url}?${query}`, authorize: target.authorize }).catch(
      () => undefined
    )
    throw error
  }
}
