/**
 * Copy, move and rename of files and folders: a plan of (source key → target key) pairs,
 * each done as a server-side PUT Object - Copy, then (for a move) Delete Multiple of the
 * sources that were copied. Progress and per-key failures are reported; nothing is deleted
 * whose copy failed.
 */
import type { CosClient } from './cos/client.ts'
import { describeError, fromSdkError } from './cos/cos-error.ts'

export interface CopyPair {
  from: string
  to: string
}

export interface KeyFailure {
  key: string
  code: string
  message: string
}

export interface OpProgress {
  done: number
  total: number
  failures: KeyFailure[]
}

const PARALLEL = 4

/** The name a key or folder has in its parent ("a/b/" → "b/", "a/c.txt" → "c.txt"). */
export function leafName(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1)
  return key.endsWith('/') ? `${name}/` : name
}

/** "report.pdf" → "report (copy).pdf"; "dir/" → "dir (copy)/". */
export function copyName(name: string): string {
  if (name.endsWith('/')) return `${name.slice(0, -1)} (copy)/`
  const dot = name.lastIndexOf('.')
  return dot > 0 ? `${name.slice(0, dot)} (copy)${name.slice(dot)}` : `${name} (copy)`
}

/**
 * Expands sources (keys; folders end in '/') into copy pairs under `targetPrefix`. A folder
 * brings every key under it. `rename` gives the single source a new leaf name instead.
 */
export async function planCopy(
  cos: CosClient,
  bucket: string,
  sources: string[],
  targetPrefix: string,
  options: { rename?: string; sameFolderCopies?: boolean } = {}
): Promise<CopyPair[]> {
  const pairs: CopyPair[] = []
  for (const source of sources) {
    let leaf = options.rename ?? leafName(source)
    if (source.endsWith('/') && !leaf.endsWith('/')) leaf += '/'
    let target = targetPrefix + leaf
    if (target === source && options.sameFolderCopies) target = targetPrefix + copyName(leaf)
    if (target === source) continue
    if (!source.endsWith('/')) {
      pairs.push({ from: source, to: target })
      continue
    }
    if (target.startsWith(source)) throw new Error(`Cannot put the folder ${source} inside itself`)
    let marker: string | undefined
    do {
      const page = await cos.listObjects(bucket, { prefix: source, marker })
      for (const file of page.files) pairs.push({ from: file.key, to: target + file.key.slice(source.length) })
      marker = page.nextMarker
    } while (marker !== undefined)
  }
  return pairs
}

/** Targets of the plan that exist already (HEAD), to ask before overwriting them. */
export async function existingTargets(cos: CosClient, bucket: string, pairs: CopyPair[]): Promise<string[]> {
  const found: string[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const pair = pairs[next++]!
      await cos.headObject(bucket, pair.to).then(
        () => found.push(pair.to),
        () => undefined
      )
    }
  }
  await Promise.all(Array.from({ length: Math.min(8, pairs.length) }, worker))
  return found
}

/** Copies every pair (server-side), then deletes the copied sources when moving. */
export async function runCopy(
  cos: CosClient,
  sourceBucket: string,
  targetBucket: string,
  pairs: CopyPair[],
  move: boolean,
  onProgress: (progress: OpProgress) => void
): Promise<OpProgress> {
  const progress: OpProgress = { done: 0, total: pairs.length, failures: [] }
  const copied: string[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const pair = pairs[next++]!
      try {
        await cos.copyObject(targetBucket, pair.from, pair.to, { sourceBucket })
        copied.push(pair.from)
      } catch (error) {
        const failure = fromSdkError(error)
        progress.failures.push({
          key: pair.from,
          code: failure.code,
          message: failure.cosMessage || describeError(error)
        })
      }
      progress.done++
      onProgress({ ...progress })
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, pairs.length) }, worker))
  if (move && copied.length > 0) {
    const outcome = await cos.deleteObjects(sourceBucket, copied)
    progress.failures.push(...outcome.errors)
  }
  onProgress({ ...progress })
  return progress
}
