/**
 * POST Object restore (`POST /<key>?restore[&versionId=]`): 202 Accepted when a job starts,
 * 200 when an already restored copy is extended; 405 RestoreNonArchiveObject, 409
 * RestoreAlreadyInProgress and 400 InvalidArgument come from the rules in core/cos/restore.ts.
 */
import type { ObjectVersion } from '../storage/object-store.ts'
import type { Exchange } from './exchange.ts'
import { sendEmpty } from './exchange.ts'
import { versionIdOf } from './handlers/object-read.ts'
import { parseXml, readBody } from './xml-in.ts'

/**
 * A copy-source condition that first refuses an unrestored ARCHIVE / DEEP_ARCHIVE source
 * (403 InvalidObjectState), for PUT Object - Copy and Upload Part - Copy.
 */
export function archiveAware(
  ex: Exchange,
  condition: ((source: ObjectVersion) => boolean) | undefined
): (source: ObjectVersion) => boolean {
  return (source) => {
    ex.features.restores.assertReadable(source, 'Copy')
    return condition ? condition(source) : true
  }
}

export async function restoreObject(ex: Exchange): Promise<void> {
  const body = parseXml(await readBody(ex.req))
  const status = ex.features.restores.request(ex.target.bucket, ex.target.key, versionIdOf(ex), body, ex.context)
  sendEmpty(ex, status)
}
