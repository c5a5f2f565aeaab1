/**
 * POST /?delete: up to 1000 keys, Quiet or Verbose, one result per key. Content-MD5 is
 * checked when sent (the AWS SDK sends a CRC32 checksum header instead).
 */
import { createHash } from 'node:crypto'
import { CosError } from '../../core/cos/errors.ts'
import { md5HexOf } from '../../storage/content-md5.ts'
import type { DeleteError, DeleteOutcome } from '../../storage/object-store.ts'
import type { Exchange } from '../exchange.ts'
import { headerOf, sendXml } from '../exchange.ts'
import { childOf, parseXml, readBody, textOf } from '../xml-in.ts'
import { xmlDocument, type XmlNode } from '../xml-out.ts'

const MAX_KEYS = 1000

export async function deleteMultiple(ex: Exchange): Promise<void> {
  const body = await readBody(ex.req)
  const contentMd5 = headerOf(ex, 'content-md5')
  if (contentMd5 !== undefined && createHash('md5').update(body).digest('hex') !== md5HexOf(contentMd5)) {
    throw new CosError('BadDigest', 'The Content-MD5 you specified did not match what was received.')
  }
  const root = childOf(parseXml(body), 'Delete')
  const objects = childOf(root, 'Object')
  if (!Array.isArray(objects) || objects.length === 0) {
    throw new CosError('MalformedXML', 'The Delete request must list at least one Object.')
  }
  if (objects.length > MAX_KEYS) {
    throw new CosError(
      'MalformedXML',
      `The Delete request lists ${objects.length} objects; at most ${MAX_KEYS} are allowed.`
    )
  }
  const quiet = (textOf(root, 'Quiet') ?? '').trim().toLowerCase() === 'true'
  const items = objects.map((object: unknown) => {
    const key = textOf(object, 'Key')
    if (key === undefined) throw new CosError('MalformedXML', 'Every Object of a Delete request needs a Key.')
    const versionId = textOf(object, 'VersionId')?.trim()
    return { key, versionId: versionId === '' ? undefined : versionId }
  })
  const results = ex.store.deleteObjects(ex.target.bucket, items, ex.context)
  const deleted: XmlNode[] = []
  const errors: XmlNode[] = []
  for (const result of results) {
    if ('code' in result) errors.push(errorNode(result))
    else if (!quiet) deleted.push(deletedNode(result))
  }
  sendXml(ex, 200, xmlDocument('DeleteResult', { Deleted: deleted, Error: errors }))
}

function deletedNode(result: DeleteOutcome): XmlNode {
  const versioned = result.versionId !== '' && result.versionId !== 'null'
  return {
    Key: result.key,
    VersionId: versioned && !result.deleteMarker ? result.versionId : undefined,
    DeleteMarker: result.deleteMarker ? true : undefined,
    DeleteMarkerVersionId:
      result.deleteMarker && result.deleteMarkerVersionId !== '' ? result.deleteMarkerVersionId : undefined
  }
}

function errorNode(result: DeleteError): XmlNode {
  return { Key: result.key, VersionId: result.versionId || undefined, Code: result.code, Message: result.message }
}
