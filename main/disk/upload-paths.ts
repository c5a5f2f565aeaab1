/**
 * Upload files and folders from disk into a bucket, streaming each file through the COS API
 * (one PUT Object per file, so triggers see ordinary cos:ObjectCreated:Put events). A folder
 * keeps its tree: `prefix + folder name + relative path`. Symlinks are followed, loops skipped.
 */
import { createReadStream } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { basename, isAbsolute, join } from 'node:path'
import mime from 'mime-types'
import type { DiskUploadFailure, DiskUploadItem, DiskUploadResponse } from '../../preload/contract/disk.ts'
import { cosRequest, type CosTarget } from './cos-http.ts'

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

async function putFile(target: CosTarget, bucket: string, file: PlannedFile): Promise<void> {
  const response = await cosRequest(target, {
    method: 'PUT',
    bucket,
    key: file.key,
    headers: {
      'content-length': String(file.size),
      'content-type': mime.lookup(file.key) || 'application/octet-stream'
    },
    body: createReadStream(file.path)
  })
  response.resume()
  await new Promise((resolve) => response.on('end', resolve))
}

export async function uploadFromDisk(
  target: CosTarget,
  input: { bucket: string; prefix: string; paths: readonly string[] }
): Promise<DiskUploadResponse> {
  const { files, failed } = await planDiskUpload(input.paths, input.prefix)
  const uploaded: DiskUploadItem[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++]!
      try {
        await putFile(target, input.bucket, file)
        uploaded.push(file)
      } catch (error) {
        failed.push({ path: file.path, key: file.key, message: (error as Error).message })
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker))
  uploaded.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { uploaded, failed }
}
