/**
 * Downloads: one file through a pre-signed link; a few files each saved on its own (fetched,
 * then saved from a same-origin blob: URL, so no download cancels another); a folder or a
 * larger selection as one zip built in the browser with fflate, streaming each object into the
 * archive as it arrives.
 */
import type { CosClient } from './cos/client.ts'
import { CosRequestError, fromSdkError } from './cos/cos-error.ts'

/** Selections of up to this many files are saved file by file; more become one zip. */
export const SEPARATE_FILES_MAX = 5

export interface ZipEntry {
  key: string
  /** Path inside the archive. */
  path: string
  size: number
}

/** Saves a URL (same-origin blob: or attachment link) through an <a download>. */
export function saveUrl(url: string, filename: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
}

/** Fetches a (pre-signed) URL and saves the bytes under `filename`; COS's error when refused. */
export async function saveFetched(url: string, filename: string, signal?: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal })
  if (!response.ok) throw await responseError(response, filename)
  const blobUrl = URL.createObjectURL(await response.blob())
  saveUrl(blobUrl, filename)
  setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000)
}

async function responseError(response: Response, what: string): Promise<CosRequestError> {
  const text = await response.text().catch(() => '')
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `Http${response.status}`
  const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? response.statusText
  return fromSdkError({ statusCode: response.status, error: { Code: code, Message: `${message} (${what})` } })
}

/** Builds the zip (stored, not compressed: objects are often compressed already) and saves it. */
export async function downloadZip(
  cos: CosClient,
  bucket: string,
  entries: ZipEntry[],
  filename: string,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal
): Promise<Blob> {
  // fflate builds its tables as it loads: loaded with the first zip, not with the app.
  const { Zip, ZipPassThrough } = await import('fflate')
  const chunks: Uint8Array[] = []
  let failure: Error | undefined
  const zip = new Zip((error, chunk) => {
    if (error) failure = error
    else chunks.push(chunk)
  })
  const total = entries.reduce((sum, entry) => sum + entry.size, 0)
  let done = 0
  for (const entry of entries) {
    if (signal?.aborted) throw new CosRequestError('Cancelled', 'The download was cancelled', 0)
    const url = await cos.presignedUrl(bucket, entry.key)
    const response = await fetch(url, { signal })
    if (!response.ok) throw await responseError(response, entry.key)
    const file = new ZipPassThrough(entry.path)
    zip.add(file)
    const reader = response.body!.getReader()
    for (;;) {
      const { done: finished, value } = await reader.read()
      if (finished) break
      file.push(value)
      done += value.length
      onProgress(done, total)
    }
    file.push(new Uint8Array(0), true)
    if (failure) throw failure
  }
  zip.end()
  if (failure) throw failure
  const blob = new Blob(chunks as BlobPart[], { type: 'application/zip' })
  const url = URL.createObjectURL(blob)
  saveUrl(url, filename)
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return blob
}
