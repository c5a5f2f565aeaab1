/**
 * The snapshot archive format (a zip): what `cos-local snapshot save` writes and `load` reads.
 *
 *   manifest.json    { format: "cos-local-snapshot", formatVersion, createdAt, generator,
 *                      appid, region, counts }
 *   buckets.json     [{ name, region, versioning, configs: { <sub-resource>: <stored document> } }]
 *   objects.json     [{ bucket, key, versionId, isDeleteMarker, size, etag, md5, lastModified,
 *                      storageClass, headers, data }]   every version, each key's oldest first;
 *                    data names the entry holding the bytes (`blobs/<n>`), null for a marker
 *   functions.json   [{ name, runtime, handler, memory, timeout, env, retryNum, description,
 *                      namespace, code }]   code names a zip entry (`functions/<name>.zip`)
 *   triggers.json    [{ functionName, bucket, region, event, prefix, suffix, enabled, qualifier }]
 *
 * Parsing checks every part and says what is wrong and where; nothing here does I/O.
 */
import { z } from 'zod'

export const SNAPSHOT_FORMAT = 'cos-local-snapshot'
/** The version this COS Local writes. */
export const SNAPSHOT_FORMAT_VERSION = 1
/** The oldest version it can read (older ones: see formatVersionProblem). */
export const OLDEST_READABLE_FORMAT_VERSION = 1

export class SnapshotError extends Error {
  readonly code = 'InvalidSnapshot'
  readonly status = 400
  constructor(message: string) {
    super(message)
    this.name = 'SnapshotError'
  }
}

const Counts = z.object({
  buckets: z.number().int().nonnegative(),
  objects: z.number().int().nonnegative(),
  functions: z.number().int().nonnegative(),
  triggers: z.number().int().nonnegative()
})

export const ManifestSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.number().int(),
  createdAt: z.string(),
  generator: z.string(),
  appid: z.string(),
  region: z.string(),
  counts: Counts
})
export type SnapshotManifest = z.infer<typeof ManifestSchema>

export const BucketEntrySchema = z.object({
  name: z.string().min(1),
  region: z.string().min(1),
  versioning: z.enum(['', 'Enabled', 'Suspended']),
  configs: z.record(z.string(), z.string())
})
export type SnapshotBucket = z.infer<typeof BucketEntrySchema>

export const ObjectEntrySchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  versionId: z.string().min(1),
  isDeleteMarker: z.boolean(),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  /** Hex MD5 of the bytes (checked on load); '' for a delete marker. */
  md5: z.string(),
  lastModified: z.number(),
  storageClass: z.string(),
  headers: z.record(z.string(), z.string()),
  data: z.string().nullable()
})
export type SnapshotObject = z.infer<typeof ObjectEntrySchema>

export const FunctionEntrySchema = z.object({
  name: z.string().min(1),
  namespace: z.string(),
  runtime: z.string(),
  handler: z.string(),
  memory: z.number(),
  timeout: z.number(),
  env: z.record(z.string(), z.string()),
  retryNum: z.number(),
  description: z.string(),
  code: z.string()
})
export type SnapshotFunction = z.infer<typeof FunctionEntrySchema>

export const TriggerEntrySchema = z.object({
  functionName: z.string().min(1),
  bucket: z.string().min(1),
  region: z.string(),
  event: z.string(),
  prefix: z.string(),
  suffix: z.string(),
  enabled: z.boolean(),
  qualifier: z.string()
})
export type SnapshotTrigger = z.infer<typeof TriggerEntrySchema>

export interface SnapshotContents {
  manifest: SnapshotManifest
  buckets: SnapshotBucket[]
  objects: SnapshotObject[]
  functions: SnapshotFunction[]
  triggers: SnapshotTrigger[]
}

/** Why a manifest's format version cannot be read, or undefined when it can. */
export function formatVersionProblem(version: number): string | undefined {
  if (version > SNAPSHOT_FORMAT_VERSION) {
    return (
      `it is snapshot format ${version}, made by a newer COS Local; this one reads formats ` +
      `${OLDEST_READABLE_FORMAT_VERSION} to ${SNAPSHOT_FORMAT_VERSION}. Upgrade cos-local to load it.`
    )
  }
  if (version < OLDEST_READABLE_FORMAT_VERSION) {
    return (
      `it is snapshot format ${version}; this COS Local reads formats ${OLDEST_READABLE_FORMAT_VERSION} ` +
      `to ${SNAPSHOT_FORMAT_VERSION} (format ${version} predates the first released format and was never ` +
      `written by a released cos-local). Load it with the version that wrote it and save it again.`
    )
  }
  return undefined
}

/**
 * Turns the archive's JSON parts into checked contents. `entry(name)` gives a part's text or
 * undefined when the archive lacks it; `file` names the archive in the messages.
 */
export function parseSnapshot(file: string, entry: (name: string) => string | undefined): SnapshotContents {
  const fail = (what: string): never => {
    throw new SnapshotError(`${file} is not a loadable COS Local snapshot: ${what}`)
  }
  const json = (name: string): unknown => {
    const text = entry(name)
    if (text === undefined) return fail(`${name} is missing from the archive`)
    try {
      return JSON.parse(text)
    } catch (error) {
      return fail(`${name} is not valid JSON (${(error as Error).message})`)
    }
  }
  const raw = json('manifest.json') as { format?: unknown; formatVersion?: unknown }
  if (raw === null || typeof raw !== 'object' || raw.format !== SNAPSHOT_FORMAT) {
    fail(`manifest.json does not say format "${SNAPSHOT_FORMAT}"`)
  }
  if (typeof raw.formatVersion !== 'number') fail('manifest.json has no formatVersion')
  const problem = formatVersionProblem(raw.formatVersion as number)
  if (problem) fail(problem)
  const manifest = checked('manifest.json', ManifestSchema, raw, fail)
  const list = <T>(name: string, schema: z.ZodType<T>): T[] => checked(name, z.array(schema), json(name), fail)
  const contents: SnapshotContents = {
    manifest,
    buckets: list('buckets.json', BucketEntrySchema),
    objects: list('objects.json', ObjectEntrySchema),
    functions: list('functions.json', FunctionEntrySchema),
    triggers: list('triggers.json', TriggerEntrySchema)
  }
  const { counts } = manifest
  for (const part of ['buckets', 'objects', 'functions', 'triggers'] as const) {
    if (contents[part].length !== counts[part]) {
      fail(`manifest.json counts ${counts[part]} ${part} but ${part}.json holds ${contents[part].length} (truncated?)`)
    }
  }
  const buckets = new Set(contents.buckets.map((bucket) => bucket.name))
  for (const object of contents.objects) {
    if (!buckets.has(object.bucket)) fail(`objects.json names bucket "${object.bucket}" that buckets.json lacks`)
    if (!object.isDeleteMarker && object.data === null) fail(`object "${object.key}" has no data entry`)
  }
  return contents
}

function checked<T>(name: string, schema: z.ZodType<T>, value: unknown, fail: (what: string) => never): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  return fail(`${name} at ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`)
}
