/**
 * Handlers for the bucket sub-resources this package adds (?origin, ?replication and the
 * stored configurations). `subresourceHandler` answers before the generic dispatch, so
 * those names never reach its NotImplemented fallback.
 */
import type { Handler } from './dispatch.ts'
import type { Exchange } from './exchange.ts'
import { deleteBucketOrigin, getBucketOrigin, putBucketOrigin } from './origin.ts'
import { deleteBucketReplication, getBucketReplication, putBucketReplication } from './replication.ts'

type MethodTable = Partial<Record<'GET' | 'PUT' | 'DELETE', Handler>>

const BUCKET: Record<string, MethodTable> = {
  origin: { GET: getBucketOrigin, PUT: putBucketOrigin, DELETE: deleteBucketOrigin },
  replication: { GET: getBucketReplication, PUT: putBucketReplication, DELETE: deleteBucketReplication }
}

/** The handler for a sub-resource request this package implements, else undefined. */
export function subresourceHandler(ex: Exchange): Handler | undefined {
  if (ex.target.bucket === '' || ex.target.key !== '') return undefined
  for (const name of ex.query.keys()) {
    const table = BUCKET[name]
    if (!table) continue
    return table[ex.method as keyof MethodTable]
  }
  return undefined
}
