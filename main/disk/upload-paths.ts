/**
 * Upload files and folders from disk into a bucket, streaming each file through the COS API
 * (one PUT Object per file, so triggers see ordinary cos:ObjectCreated:Put events). A folder
 * keeps its tree: `prefix + folder name + relative path`. Symlinks are followed, loops skipped.
 */
import { createReadStream } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { readdir, realpath, stat } from 'node:fs/promises'
import { basename, isAbsolute, join } from 'node:path'
import mime from 'mime-types'
import type { DiskUploadFailure, DiskUploadItem, DiskUploadResponse } from '../../preload/contract/disk.ts'
import { CosHttpError, cosRequest, type CosTarget } from './cos-http.ts'

const CONCURRENCY = 4

export interface PlannedFile {
  path: string
  key: string
  size: number
}

/** Files under the given paths with their keys (folders walked depth-first, names sorted). */
export async function planDiskUpload(
  paths: readonly string[],
  prefix: string
): Promise<{ files: PlannedFile[]; failed: DiskUploadFailure[] }> {
  const files: PlannedFile[] = []
  const failed: DiskUploadFailure[] = []
  const visited = new Set<string>()

  async function visit(path: string, key: string): Promise<void> {
    let info
    try {
      info = await stat(path)
    } catch (error) {
      failed.push({ path, key, message: `Cannot read ${path}: ${(error as Error).message}` })
      return
    }
    if (info.isFile()) {
      files.push({ path, key, size: info.size })
      return
    }
    if (!info.isDirectory()) {
      failed.push({ path, key, message: `${path} is neither a file nor a folder` })
      return
    }
    const real = await realpath(path)
    if (visited.has(real)) return
    visited.add(real)
    let names: string[]
    try {
      names = (await readdir(path)).sort()
    } catch (error) {
      failed.push({ path, key, message: `Cannot list ${path}: ${(error as Error).message}` })
      return
    }
    for (const name of names) await visit(join(path, name), `${key}/${name}`)
  }

  for (const path of paths) {
    if (!isAbsolute(path)) {
      failed.push({ path, message: `Not an absolute path: ${path}` })
      continue
    }
    await visit(path, prefix + basename(path))
  }
  return { files, failed }
}

export interface DiskUploadInput {
  bucket: string
  prefix: string
  paths: readonly string[]
  storageClass?: string
  meta?: Record<string, string>
  skipExisting?: boolean
}

async function drained(response: IncomingMessage): Promise<void> {
  response.resume()
  await new Promise((resolve) => response.on('end', resolve))
}

async function exists(target: CosTarget, bucket: string, key: string): Promise<boolean> {
  try {
    await drained(await cosRequest(target, { method: 'HEAD', bucket, key }))
    return true
  } catch (error) {
    if (error instanceof CosHttpError && error.status === 404) return false
    throw error
  }
}

async function putFile(target: CosTarget, input: DiskUploadInput, file: PlannedFile): Promise<void> {
  const headers: Record<string, string> = {
    'content-length': String(file.size),
    'content-type': mime.lookup(file.key) || 'application/octet-stream'
  }
  if (input.storageClass) headers['x-cos-storage-class'] = input.storageClass
  for (const [name, value] of Object.entries(input.meta ?? {})) headers[`x-cos-meta-${name}`] = value
  await drained(
    await cosRequest(target, {
      method: 'PUT',
      bucket: input.bucket,
      key: file.key,
      headers,
      body: createReadStream(file.path)
    })
  )
}

export async function uploadFromDisk(target: CosTarget, input: DiskUploadInput): Promise<DiskUploadResponse> {
  const { files, failed } = await planDiskUpload(input.paths, input.prefix)
  const uploaded: DiskUploadItem[] = []
  const skipped: DiskUploadItem[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++]!
      try {
        if (input.skipExisting && (await exists(target, input.bucket, file.key))) skipped.push(file)
        else {
          await putFile(target, input, file)
          uploaded.push(file)
        }
      } catch (error) {
        failed.push({ path: file.path, key: file.key, message: (error as Error).message })
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker))
  const byKey = (a: DiskUploadItem, b: DiskUploadItem): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  return { uploaded: uploaded.sort(byKey), skipped: skipped.sort(byKey), failed }
}
