/**
 * Which names in a request's query are sub-resources (`?acl`, `?uploads`, `?uploadId=…`) and
 * which are parameters of the operation (`prefix`, `versionId`, signature fields, …).
 * A sub-resource is a known COS sub-resource name (with or without a value), or any other
 * valueless name that is not a parameter (S3 and COS name sub-resources that way, so an
 * unknown one is answered 501 rather than ignored). Names with a value that are neither
 * (`?t=123` cache busters, `?id=` of an inventory) are ignored.
 */

/** Every COS sub-resource name, whether COS Local implements it or not. */
export const SUBRESOURCE_NAMES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'append',
  'attributes',
  'cors',
  'delete',
  'domain',
  'encryption',
  'intelligenttiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'object-lock',
  'origin',
  'ownershipControls',
  'policy',
  'publicAccessBlock',
  'referer',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versioning',
  'versions',
  'website'
])

/** Query names that are parameters of an operation, never sub-resources. */
const PARAMETERS: ReadonlySet<string> = new Set([
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'list-type',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'key-marker',
  'upload-id-marker',
  'version-id-marker',
  'max-uploads',
  'max-parts',
  'part-number-marker',
  'versionId',
  'partNumber',
  'x-id',
  'sign',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding'
])

export function isParameter(name: string): boolean {
  return (
    PARAMETERS.has(name) ||
    name.startsWith('q-') ||
    name.toLowerCase().startsWith('x-amz-') ||
    name.startsWith('x-cos-')
  )
}

/** The sub-resources a query names, in query order, each once. */
export function subresourcesOf(query: URLSearchParams): string[] {
  const names: string[] = []
  for (const [name, value] of query) {
    if (names.includes(name) || isParameter(name)) continue
    if (SUBRESOURCE_NAMES.has(name) || value === '') names.push(name)
  }
  return names
}
