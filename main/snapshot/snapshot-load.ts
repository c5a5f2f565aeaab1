/**
 * `snapshot load`: reads and checks the whole archive first (zip structure, manifest and
 * format version, every part's shape, every object's size and MD5, every function's code
 * zip) and what it would collide with in the target; only then writes. So a corrupt or
 * truncated snapshot, or one that does not fit the target, leaves the target as it was.
 * Loading fires no events: the objects are put back as they were, not uploaded.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { unzipSync, type Unzipped } from 'fflate'
import { validateBucketName } from '../core/cos/bucket-name.ts'
import { validateRegion } from '../core/cos/region.ts'
import type { StorageClass } from '../core/cos/storage-class.ts'
import { parseSnapshot, SnapshotError, type SnapshotContents, type SnapshotManifest } from '../core/snapshot/format.ts'
import type { SnapshotDeps } from './snapshot-deps.ts'

export interface LoadedSnapshot {
  file: string
  manifest: SnapshotManifest
}

/** Read and check a snapshot file without touching any target. */
export function readSnapshot(file: string): { contents: SnapshotContents; entries: Unzipped } {
  const path = resolve(file)
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new SnapshotError(`Cannot read snapshot ${path}: ${(error as Error).message}`)
  }
  let entries: Unzipped
  try {
    entries = unzipSync(bytes)
  } catch (error) {
    throw new SnapshotError(
      `${path} is not a loadable COS Local snapshot: the zip archive is damaged or truncated (${(error as Error).message})`
    )
  }
  const decoder = new TextDecoder()
  const contents = parseSnapshot(path, (name) => (entries[name] ? decoder.decode(entries[name]) : undefined))
  const fail = (what: string): never => {
    throw new SnapshotError(`${path} is not a loadable COS Local snapshot: ${what}`)
  }
  for (const object of contents.objects) {
    if (object.data === null) continue
    const bytes = entries[object.data]
    const where = `object "${object.key}" (version ${object.versionId}) of bucket ${object.bucket}`
    if (!bytes) fail(`${object.data} for ${where} is missing from the archive`)
    else if (bytes.length !== object.size) fail(`${where} has ${bytes.length} bytes, the manifest says ${object.size}`)
    else if (createHash('md5').update(bytes).digest('hex') !== object.md5)
      fail(`${where}: its bytes fail the MD5 check`)
  }
  for (const fn of contents.functions) {
    const code = entries[fn.code]
    if (!code) fail(`${fn.code} (code of function ${fn.name}) is missing from the archive`)
    try {
      unzipSync(code as Uint8Array)
    } catch (error) {
      fail(`${fn.code} (code of function ${fn.name}) is not a valid zip (${(error as Error).message})`)
    }
  }
  return { contents, entries }
}

/** Why the snapshot does not fit this target, or undefined when it does. */
function conflicts(deps: SnapshotDeps, contents: SnapshotContents): string[] {
  const problems: string[] = []
  const { manifest } = contents
  if (manifest.appid !== deps.appid && contents.buckets.length > 0) {
    problems.push(
      `it holds buckets of APPID ${manifest.appid}, the target runs APPID ${deps.appid} (start it with --appid ${manifest.appid})`
    )
  }
  const foreign = contents.triggers.filter((trigger) => trigger.region !== deps.region)
  if (foreign.length > 0) {
    problems.push(
      `its triggers are for region ${foreign[0]!.region}, the target's functions run in ${deps.region} (start it with --region ${foreign[0]!.region})`
    )
  }
  const existing = new Set(deps.storage.listBuckets().map((bucket) => bucket.name))
  const taken = contents.buckets.filter((bucket) => existing.has(bucket.name)).map((bucket) => bucket.name)
  if (taken.length > 0) problems.push(`the target already has bucket(s) ${taken.join(', ')}`)
  const functions = new Set(deps.functions.functions.list().map((fn) => fn.name))
  const clash = contents.functions.filter((fn) => functions.has(fn.name)).map((fn) => fn.name)
  if (clash.length > 0) problems.push(`the target already has function(s) ${clash.join(', ')}`)
  for (const bucket of contents.buckets) {
    try {
      validateRegion(bucket.region)
      validateBucketName(bucket.name, bucket.region)
    } catch (error) {
      problems.push(`bucket ${bucket.name}: ${(error as Error).message}`)
    }
  }
  return problems
}

export async function loadSnapshot(deps: SnapshotDeps, file: string): Promise<LoadedSnapshot> {
  const path = resolve(file)
  const { contents, entries } = readSnapshot(path)
  const problems = conflicts(deps, contents)
  if (problems.length > 0) {
    throw new SnapshotError(`Snapshot ${path} was not loaded (nothing changed): ${problems.join('; ')}.`)
  }
  const { storage, functions } = deps
  for (const bucket of contents.buckets) {
    storage.createBucket(bucket.name, bucket.region)
    if (bucket.versioning !== '') storage.setVersioning(bucket.name, bucket.versioning)
    for (const [name, body] of Object.entries(bucket.configs)) storage.configs.put(bucket.name, name, body)
  }
  for (const object of contents.objects) {
    await storage.importVersion(
      {
        bucket: object.bucket,
        key: object.key,
        versionId: object.versionId,
        isDeleteMarker: object.isDeleteMarker,
        size: object.size,
        etag: object.etag,
        lastModified: object.lastModified,
        storageClass: object.storageClass as StorageClass,
        headers: object.headers
      },
      object.data === null ? undefined : entries[object.data]
    )
  }
  for (const fn of contents.functions) {
    const { code, ...config } = fn
    functions.functions.create({
      ...config,
      code: { type: 'zipBase64', data: Buffer.from(entries[code] as Uint8Array).toString('base64') }
    })
  }
  for (const trigger of contents.triggers) functions.triggers.add(trigger)
  return { file: path, manifest: contents.manifest }
}
