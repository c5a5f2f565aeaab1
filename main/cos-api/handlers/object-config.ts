/**
 * Object sub-resources: ?acl (canned or AccessControlPolicy, private by default) and ?tagging
 * (at most 10 tags), stored beside the bucket configurations and keyed by the object version.
 */
import { CosError } from '../../core/cos/errors.ts'
import { escapeXml } from '../../core/cos/xml-escape.ts'
import { asArray, childNode, childText, unwrapRoot } from '../../core/cos/xml-shape.ts'
import type { Exchange } from '../exchange.ts'
import { sendEmpty, sendXml } from '../exchange.ts'
import { parseXml, readBody } from '../xml-in.ts'
import { XML_DECLARATION } from '../xml-out.ts'
import { defaultAcl, readAcl, tagRules } from './bucket-config.ts'

/** Object-level documents are keyed by the version's blob, so a new write starts clean. */
function objectDocumentName(ex: Exchange, name: string): string {
  const versionId = ex.query.get('versionId') || undefined
  const version = ex.store.headObject(ex.target.bucket, ex.target.key, versionId)
  return `object-${name}/${version.blobId ?? version.versionId}`
}

export async function putObjectAcl(ex: Exchange): Promise<void> {
  const name = objectDocumentName(ex, 'acl')
  ex.features.configs.put(ex.target.bucket, name, await readAcl(ex))
  sendEmpty(ex, 200)
}

export function getObjectAcl(ex: Exchange): void {
  sendXml(ex, 200, ex.features.configs.get(ex.target.bucket, objectDocumentName(ex, 'acl')) ?? defaultAcl(ex))
}

export async function putObjectTagging(ex: Exchange): Promise<void> {
  const name = objectDocumentName(ex, 'tagging')
  const parsed = parseXml(await readBody(ex.req))
  if (unwrapRoot(parsed, 'Tagging') === undefined)
    throw new CosError('MalformedXML', 'The request body must be a <Tagging> element.')
  tagRules(10)(parsed)
  ex.features.configs.put(ex.target.bucket, name, JSON.stringify(parsed))
  sendEmpty(ex, 200)
}

export function getObjectTagging(ex: Exchange): void {
  const stored = ex.features.configs.get(ex.target.bucket, objectDocumentName(ex, 'tagging'))
  const list = stored === undefined ? [] : asArray(childNode(unwrapRoot(JSON.parse(stored), 'Tagging'), 'TagSet')?.Tag)
  const body = list
    .map(
      (tag) =>
        `<Tag><Key>${escapeXml(childText(tag, 'Key') ?? '')}</Key><Value>${escapeXml(childText(tag, 'Value') ?? '')}</Value></Tag>`
    )
    .join('')
  sendXml(ex, 200, `${XML_DECLARATION}<Tagging><TagSet>${body}</TagSet></Tagging>`)
}

export function deleteObjectTagging(ex: Exchange): void {
  ex.features.configs.delete(ex.target.bucket, objectDocumentName(ex, 'tagging'))
  sendEmpty(ex, 204)
}
