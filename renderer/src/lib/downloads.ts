/**
 * Downloads: one file through a pre-signed link; a few files each saved on its own (one hidden
 * frame per file, so no download cancels another); a folder or a larger selection as one zip
 * built in the browser with fflate, streaming each object into the archive as it arrives.
 */
import { Zip, ZipPassThrough } from 'fflate'
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

/** Saves one file per hidden frame: each navigation ends as its own download. */
export function saveInFrame(url: string): void {
  const frame = document.createElement('iframe')
  frame.hidden = true
  frame.src = url
  document.body.append(frame)
  setTimeout(() => frame.remove(), 60_000)
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
    if (!response.ok) {
      const text = await response.text().catch(() => '')
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `Http${response.status}`
      const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? response.statusText
      throw fromSdkError({ statusCode: response.status, error: { Code: code, Message: `${message} (${entry.key})` } })
    }
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
