/**
 * `cos-local seed DIR --bucket B [--prefix P]`: upload a folder tree as objects `P<relative
 * path>`, skipping those whose stored MD5 already matches. Every file is read (and hashed)
 * before anything is written, so an unreadable file stops the seed with its name and the
 * bucket as it was. Uploads go through the storage service like PUTs (their events fire).
 */
import { createHash } from 'node:crypto'
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { lookup } from 'mime-types'
import { createRequestIdSource } from '../core/cos/request-id.ts'
import { validateKey } from '../core/cos/object-key.ts'
import type { StorageService } from '../storage/create-storage.ts'

export interface SeedOptions {
  dir: string
  bucket: string
  prefix?: string
}

export interface SeedResult {
  uploaded: string[]
  skipped: string[]
}

export class SeedError extends Error {
  readonly code = 'SeedFailed'
  readonly status = 400
}

const nextRequestId = createRequestIdSource(Date.now)

export async function seedFolder(storage: StorageService, options: SeedOptions): Promise<SeedResult> {
  const root = resolve(options.dir)
  const prefix = options.prefix ?? ''
  storage.getBucket(options.bucket) // NoSuchBucket before reading anything
  let rootStat
  try {
    rootStat = statSync(root)
  } catch (error) {
    throw new SeedError(`Cannot read seed folder ${root}: ${(error as NodeJS.ErrnoException).code ?? error}`)
  }
  if (!rootStat.isDirectory()) throw new SeedError(`${root} is not a folder`)

  const files: { path: string; key: string; size: number; md5: string }[] = []
  const walk = (folder: string): void => {
    let entries
    try {
      entries = readdirSync(folder, { withFileTypes: true })
    } catch (error) {
      throw unreadable(folder, error)
    }
    for (const entry of entries) {
      const path = join(folder, entry.name)
      let isDirectory = entry.isDirectory()
      if (entry.isSymbolicLink()) {
        try {
          isDirectory = statSync(path).isDirectory() // follow it; a dangling link is unreadable
        } catch (error) {
          throw unreadable(path, error)
        }
      }
      if (isDirectory) walk(path)
      else if (entry.isFile() || entry.isSymbolicLink()) {
        let bytes: Buffer
        try {
          bytes = readFileSync(path)
        } catch (error) {
          throw unreadable(path, error)
        }
        const key = prefix + relative(root, path).split(sep).join('/')
        validateKey(key)
        files.push({ path, key, size: bytes.length, md5: createHash('md5').update(bytes).digest('hex') })
      }
    }
  }
  walk(root)
  files.sort((a, b) => (a.key < b.key ? -1 : 1))

  const result: SeedResult = { uploaded: [], skipped: [] }
  for (const file of files) {
    if (storedMd5(storage, options.bucket, file.key) === file.md5) {
      result.skipped.push(file.key)
      continue
    }
    await storage.putObject(
      options.bucket,
      file.key,
      createReadStream(file.path),
      {
        headers: { 'Content-Type': lookup(file.key) || 'application/octet-stream' },
        storageClass: 'STANDARD',
        contentLength: file.size,
        contentMd5: Buffer.from(file.md5, 'hex').toString('base64')
      },
      { requestId: nextRequestId(), sourceIp: '127.0.0.1', authorization: '' }
    )
    result.uploaded.push(file.key)
  }
  return result
}

function storedMd5(storage: StorageService, bucket: string, key: string): string | undefined {
  try {
    return storage.headObject(bucket, key).etag
  } catch {
    return undefined
  }
}

function unreadable(path: string, error: unknown): SeedError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error)
  return new SeedError(`Cannot read ${path} (${code}): nothing was uploaded`)
}
