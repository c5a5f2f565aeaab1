/**
 * Cross-bucket / cross-region replication, `PUT/GET/DELETE /?replication` (reference
 * cos-scf.md §4.9). Parses and validates the configuration, serializes it back, and
 * decides for each change in the source bucket whether and where it is replicated:
 *   replicated: new objects and overwrites under an enabled rule's prefix (metadata and
 *     version id kept), delete markers when the rule syncs them
 *   not: deletes that name a versionId, lifecycle actions, objects written by replication
 *     itself (not transitive), ARCHIVE / DEEP_ARCHIVE objects, objects from before the rule
 */
import { CosError } from './errors.ts'
import { isArchiveClass } from './restore.ts'
import { parseStorageClass, type StorageClass } from './storage-class.ts'
import { asArray, childNode, childText, unwrapRoot } from './xml-shape.ts'

/** `x-cos-replication-status` values: on the source object, and REPLICA on the copy. */
export type ReplicationStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REPLICA'

export const MAX_REPLICATION_RULES = 1000

export interface ReplicationDestination {
  /** Full bucket name, `<name>-<appid>`. */
  bucket: string
  /** Long region name; '' when the resource name does not say (same region as the source). */
  region: string
  /** The storage class replicas get; undefined keeps the source object's class. */
  storageClass?: StorageClass
  /** The resource name as the client wrote it, returned unchanged by GET. */
  resource: string
}

export interface ReplicationRule {
  id: string
  enabled: boolean
  prefix: string
  destination: ReplicationDestination
  /** "Sync delete marker": replicate delete markers made by deletes without a versionId. */
  deleteMarkerReplication: boolean
}

export interface ReplicationConfiguration {
  role: string
  rules: ReplicationRule[]
}

const invalid = (message: string) => new CosError('InvalidArgument', message)

/**
 * Destination bucket resource names:
 *   qcs::cos:<region>::<bucket-appid>
 *   qcs:id/0:cos:<region>:appid/<appid>:<bucket>   (short or full bucket name)
 *   arn:aws:s3:::<bucket>                          (S3 clients; same region)
 */
export function parseDestinationBucket(resource: string): { bucket: string; region: string } {
  const text = resource.trim()
  let m = /^qcs::cos:([a-z0-9-]+)::([a-z0-9-]+-\d+)$/.exec(text)
  if (m) return { region: m[1], bucket: m[2] }
  m = /^qcs:id\/\d+:cos:([a-z0-9-]+):appid\/(\d+):([a-z0-9-]+)$/.exec(text)
  if (m) {
    const [, region, appid, name] = m
    return { region, bucket: name.endsWith(`-${appid}`) ? name : `${name}-${appid}` }
  }
  m = /^arn:aws:s3:::([a-z0-9.-]+)$/.exec(text)
  if (m) return { region: '', bucket: m[1] }
  throw invalid(
    `Destination.Bucket "${resource}" must look like qcs::cos:<region>::<bucketname-appid> ` +
      '(or qcs:id/0:cos:<region>:appid/<appid>:<bucketname>).'
  )
}

function parseRule(node: unknown, index: number): ReplicationRule {
  const where = `Rule[${index + 1}]`
  const statusText = childText(node, 'Status') ?? ''
  if (statusText !== 'Enabled' && statusText !== 'Disabled') {
    throw invalid(`${where}.Status must be Enabled or Disabled, got "${statusText}".`)
  }
  const destinationNode = childNode(node, 'Destination')
  const resource = childText(destinationNode, 'Bucket') ?? ''
  if (resource === '') throw invalid(`${where}.Destination.Bucket is required.`)
  const classText = childText(destinationNode, 'StorageClass')
  const dmrStatus = childText(childNode(node, 'DeleteMarkerReplication'), 'Status') ?? 'Disabled'
  if (dmrStatus !== 'Enabled' && dmrStatus !== 'Disabled') {
    throw invalid(`${where}.DeleteMarkerReplication.Status must be Enabled or Disabled, got "${dmrStatus}".`)
  }
  // S3 clients put the prefix under <Filter><Prefix>; COS puts it on the rule.
  const prefix = childText(node, 'Prefix') ?? childText(childNode(node, 'Filter'), 'Prefix') ?? ''
  return {
    id: childText(node, 'ID') ?? '',
    enabled: statusText === 'Enabled',
    prefix,
    destination: {
      ...parseDestinationBucket(resource),
      storageClass: classText ? parseStorageClass(classText) : undefined,
      resource
    },
    deleteMarkerReplication: dmrStatus === 'Enabled'
  }
}

/** Parse and validate a parsed `<ReplicationConfiguration>` body. */
export function parseReplicationConfiguration(body: unknown): ReplicationConfiguration {
  const root = unwrapRoot(body, 'ReplicationConfiguration')
  if (!root) throw new CosError('MalformedXML', 'The request body must be a <ReplicationConfiguration> element.')
  const role = childText(root, 'Role') ?? ''
  if (role === '') throw invalid('ReplicationConfiguration.Role is required, e.g. qcs::cam::uin/<uin>:uin/<uin>.')
  const rules = asArray(root.Rule).map(parseRule)
  if (rules.length === 0) throw invalid('ReplicationConfiguration needs at least one Rule.')
  if (rules.length > MAX_REPLICATION_RULES) throw invalid(`At most ${MAX_REPLICATION_RULES} replication rules.`)
  const target = rules[0].destination
  for (const rule of rules) {
    if (rule.destination.bucket !== target.bucket || rule.destination.region !== target.region) {
      throw invalid('All replication rules must point to the same destination bucket.')
    }
  }
  const ids = new Set<string>()
  for (const rule of rules) {
    if (rule.id === '') continue
    if (ids.has(rule.id)) throw invalid(`Two replication rules share the ID "${rule.id}".`)
    ids.add(rule.id)
  }
  return { role, rules }
}

type XmlTree = { [name: string]: string | XmlTree | XmlTree[] | undefined }

/** The body of GET ?replication, under <ReplicationConfiguration>. */
export function replicationConfigurationXml(config: ReplicationConfiguration): XmlTree {
  return {
    Role: config.role,
    Rule: config.rules.map((rule) => ({
      ID: rule.id || undefined,
      Status: rule.enabled ? 'Enabled' : 'Disabled',
      Prefix: rule.prefix,
      Destination: { Bucket: rule.destination.resource, StorageClass: rule.destination.storageClass },
      DeleteMarkerReplication: rule.deleteMarkerReplication ? { Status: 'Enabled' } : undefined
    }))
  }
}

/** The first enabled rule whose prefix covers `key`. */
export function matchReplicationRule(config: ReplicationConfiguration, key: string): ReplicationRule | undefined {
  return config.rules.find((rule) => rule.enabled && key.startsWith(rule.prefix))
}

/** A change in the source bucket, as the replication decision needs it. */
export type SourceChange =
  | { kind: 'object'; key: string; storageClass: string; causedBy: 'client' | 'replication' | 'lifecycle' }
  | { kind: 'delete-marker'; key: string; causedBy: 'client' | 'replication' | 'lifecycle' }
  | { kind: 'version-delete'; key: string }

export type ReplicationDecision =
  { replicate: true; rule: ReplicationRule; storageClass?: StorageClass } | { replicate: false; reason: string }

/** Whether and where a change is replicated, with the reason when it is not. */
export function decideReplication(
  config: ReplicationConfiguration | undefined,
  change: SourceChange
): ReplicationDecision {
  const no = (reason: string): ReplicationDecision => ({ replicate: false, reason })
  if (!config) return no('the bucket has no replication configuration')
  const rule = matchReplicationRule(config, change.key)
  if (!rule) return no(`no enabled replication rule covers the key "${change.key}"`)
  if (change.kind === 'version-delete') return no('deletes that name a versionId are not replicated')
  if (change.causedBy === 'replication') return no('replicas are not replicated again (replication is not transitive)')
  if (change.causedBy === 'lifecycle') return no('changes made by lifecycle rules are not replicated')
  if (change.kind === 'delete-marker') {
    return rule.deleteMarkerReplication
      ? { replicate: true, rule }
      : no('the rule does not sync delete markers (DeleteMarkerReplication is Disabled)')
  }
  if (isArchiveClass(change.storageClass)) return no(`${change.storageClass} objects are not replicated`)
  return { replicate: true, rule, storageClass: rule.destination.storageClass }
}
