/**
 * `snapshot save`: buckets with their configuration, every object version with its metadata
 * and bytes, functions (configuration + code) and triggers, in one zip (fflate) with a
 * manifest and a format version (core/snapshot/format.ts). Written to a temp name and
 * renamed, so a failed save leaves no half file.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { zipSync, type Zippable } from 'fflate'
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  type SnapshotBucket,
  type SnapshotFunction,
  type SnapshotManifest,
  type SnapshotObject,
  type SnapshotTrigger
} from '../core/snapshot/format.ts'
import type { ObjectVersion } from '../store/object-types.ts'
import type { SnapshotDeps } from './snapshot-deps.ts'

const text = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value, null, 1))

export async function buildSnapshot(deps: SnapshotDeps): Promise<{ bytes: Uint8Array; manifest: SnapshotManifest }> {
  const { storage, functions, dataDir } = deps
  const files: Zippable = {}
  const buckets: SnapshotBucket[] = []
  const objects: SnapshotObject[] = []
  for (const bucket of storage.listBuckets()) {
    buckets.push({
      name: bucket.name,
      region: bucket.region,
      versioning: bucket.versioning,
      configs: storage.configs.all(bucket.name)
    })
    for (const version of allVersions(deps, bucket.name)) {
      let data: string | null = null
      let md5 = ''
      if (!version.isDeleteMarker) {
        const bytes = await readAll(deps, version)
        md5 = createHash('md5').update(bytes).digest('hex')
        data = `blobs/${objects.length}`
        files[data] = [bytes, { level: 0 }]
      }
      objects.push({
        bucket: version.bucket,
        key: version.key,
        versionId: version.versionId,
        isDeleteMarker: version.isDeleteMarker,
        size: version.size,
        etag: version.etag,
        md5,
        lastModified: version.lastModified,
        storageClass: version.storageClass,
        headers: version.headers,
        data
      })
    }
  }
  const fns: SnapshotFunction[] = functions.functions.list().map((fn) => {
    const code = `functions/${fn.name}.zip`
    files[code] = [zipSync(folderFiles(join(dataDir, 'functions', fn.name))), { level: 0 }]
    const { name, namespace, runtime, handler, memory, timeout, env, retryNum, description } = fn
    return { name, namespace, runtime, handler, memory, timeout, env, retryNum, description, code }
  })
  const triggers: SnapshotTrigger[] = functions.triggers.list().map((rule) => ({
    functionName: rule.functionName,
    bucket: rule.bucket,
    region: rule.region,
    event: rule.event,
    prefix: rule.prefix,
    suffix: rule.suffix,
    enabled: rule.enabled,
    qualifier: rule.qualifier
  }))
  const manifest: SnapshotManifest = {
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    generator: `cos-local ${deps.version}`,
    appid: deps.appid,
    region: deps.region,
    counts: { buckets: buckets.length, objects: objects.length, functions: fns.length, triggers: triggers.length }
  }
  files['manifest.json'] = text(manifest)
  files['buckets.json'] = text(buckets)
  files['objects.json'] = text(objects)
  files['functions.json'] = text(fns)
  files['triggers.json'] = text(triggers)
  return { bytes: zipSync(files, { level: 6 }), manifest }
}

/** Save to `file` (temp name + rename). */
export async function saveSnapshot(deps: SnapshotDeps, file: string): Promise<SnapshotManifest> {
  const target = resolve(file)
  if (!existsSync(dirname(target))) throw new Error(`Cannot write ${target}: folder ${dirname(target)} does not exist`)
  const { bytes, manifest } = await buildSnapshot(deps)
  const temp = `${target}.tmp-${randomBytes(4).toString('hex')}`
  try {
    writeFileSync(temp, bytes, { mode: 0o600 }) // function environments may hold credentials
    renameSync(temp, target)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
  return manifest
}

/** Every version of every key of a bucket, each key's oldest first. */
function allVersions(deps: SnapshotDeps, bucket: string): ObjectVersion[] {
  const out: ObjectVersion[] = []
  let keyMarker = ''
  let versionIdMarker = ''
  for (;;) {
    const page = deps.storage.listVersions(bucket, {
      prefix: '',
      delimiter: '',
      keyMarker,
      versionIdMarker,
      maxKeys: 1000
    })
    for (const item of page.items) if (item.kind === 'version') out.push(item.version)
    if (!page.isTruncated) break
    keyMarker = page.nextKeyMarker
    versionIdMarker = page.nextVersionIdMarker
  }
  // Listing order is newest first within a key: reverse each key's run.
  const ordered: ObjectVersion[] = []
  for (let i = 0; i < out.length;) {
    let j = i
    while (j < out.length && out[j]!.key === out[i]!.key) j++
    ordered.push(...out.slice(i, j).reverse())
    i = j
  }
  return ordered
}

async function readAll(deps: SnapshotDeps, version: ObjectVersion): Promise<Uint8Array> {
  const { body } = await deps.storage.openObject(version.bucket, version.key, version.versionId)
  const chunks: Buffer[] = []
  for await (const chunk of body) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function folderFiles(dir: string): Zippable {
  const out: Zippable = {}
  if (!existsSync(dir)) return out
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) out[relative(dir, path).split(sep).join('/')] = readFileSync(path)
    }
  }
  walk(dir)
  return out
}
