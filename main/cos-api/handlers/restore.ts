/**
 * POST Object restore (`POST /<key>?restore[&versionId=]`): 202 Accepted when a job starts,
 * 200 when an already restored copy is extended; 405 RestoreNonArchiveObject, 409
 * RestoreAlreadyInProgress and 400 InvalidArgument come from the rules in core/cos/restore.ts.
 */
import type { Exchange } from '../exchange.ts'
import { sendEmpty } from '../exchange.ts'
import { versionIdOf } from './object-read.ts'
import { parseXml, readBody } from '../xml-in.ts'

export async function restoreObject(ex: Exchange): Promise<void> {
  const body = parseXml(await readBody(ex.req))
  const status = ex.features.restores.request(ex.target.bucket, ex.target.key, versionIdOf(ex), body, ex.context)
  sendEmpty(ex, status)
}
