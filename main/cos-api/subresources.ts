/**
 * Handlers for the sub-resources this package adds: ?origin, ?replication and the stored
 * bucket configurations (bucket-config.ts), plus object ?acl and ?tagging.
 * `subresourceHandler` answers before the generic dispatch, so those names never reach its
 * NotImplemented fallback; a method a sub-resource does not support is MethodNotAllowed.
 */
import { CosError } from '../core/cos/errors.ts'
import { BUCKET_CONFIG_HANDLERS, OBJECT_CONFIG_HANDLERS } from './handlers/bucket-config.ts'
import type { Handler } from './handler.ts'
import type { Exchange } from './exchange.ts'
import { deleteBucketOrigin, getBucketOrigin, putBucketOrigin } from './handlers/origin.ts'
import { deleteBucketReplication, getBucketReplication, putBucketReplication } from './handlers/replication.ts'

type MethodTable = Partial<Record<'GET' | 'PUT' | 'DELETE', Handler>>

const BUCKET: Record<string, MethodTable> = {
  ...BUCKET_CONFIG_HANDLERS,
  origin: { GET: getBucketOrigin, PUT: putBucketOrigin, DELETE: deleteBucketOrigin },
  replication: { GET: getBucketReplication, PUT: putBucketReplication, DELETE: deleteBucketReplication }
}

const OBJECT: Record<string, MethodTable> = OBJECT_CONFIG_HANDLERS

/** The handler for a sub-resource request this package implements, else undefined. */
export function subresourceHandler(ex: Exchange): Handler | undefined {
  if (ex.target.bucket === '') return undefined
  const tables = ex.target.key === '' ? BUCKET : OBJECT
  for (const name of ex.query.keys()) {
    const table = Object.hasOwn(tables, name) ? tables[name] : undefined
    if (!table) continue
    const handler = table[ex.method as keyof MethodTable]
    if (handler) return handler
    return () => {
      throw new CosError('MethodNotAllowed', `The method ${ex.method} is not allowed against ?${name}.`)
    }
  }
  return undefined
}
