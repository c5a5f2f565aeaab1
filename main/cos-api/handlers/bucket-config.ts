/**
 * Bucket sub-resources that clients touch but the emulator does not act on: they are
 * validated as XML (JSON for ?policy), stored, and returned as sent. GET before a PUT answers
 * the resource's 404 code, or the default document COS returns (ACL, logging, notification,
 * accelerate, intelligent tiering, referer). DELETE answers 204. Object ?acl and ?tagging
 * are in object-config.ts; ?cors is the CORS policy's (cors.ts).
 */
import { aclDocument, parseCannedAcl, type CannedAcl } from '../../core/cos/acl.ts'
import { CosError } from '../../core/cos/errors.ts'
import { asArray, childNode, childText, unwrapRoot } from '../../core/cos/xml-shape.ts'
import type { Handler } from '../handler.ts'
import type { Exchange } from '../exchange.ts'
import { sendEmpty, sendXml } from '../exchange.ts'
import { parseXml, readBody } from '../xml-in.ts'
import { XML_DECLARATION } from '../xml-out.ts'

interface Resource {
  /** Root element the body must have (XML resources). */
  root?: string
  json?: boolean
  /** 404 code when unset, or the document GET returns when unset. */
  missing: { code: string; message: string } | { document: (ex: Exchange) => string }
  validate?: (body: unknown) => void
}

const notFound = (code: string, what: string) => ({ code, message: `The ${what} configuration does not exist.` })
const xml = (body: string) => ({ document: () => `${XML_DECLARATION}${body}` })

const RESOURCES = {
  tagging: {
    root: 'Tagging',
    missing: { code: 'NoSuchTagSet', message: 'The TagSet does not exist.' },
    validate: tagRules(50)
  },
  lifecycle: { root: 'LifecycleConfiguration', missing: notFound('NoSuchLifecycleConfiguration', 'lifecycle') },
  policy: { json: true, missing: { code: 'NoSuchPolicy', message: 'The bucket policy does not exist.' } },
  website: { root: 'WebsiteConfiguration', missing: notFound('NoSuchWebsiteConfiguration', 'website') },
  referer: {
    root: 'RefererConfiguration',
    missing: xml(
      '<RefererConfiguration><Status>Disabled</Status><RefererType>Black-List</RefererType></RefererConfiguration>'
    )
  },
  logging: { root: 'BucketLoggingStatus', missing: xml('<BucketLoggingStatus/>') },
  encryption: {
    root: 'ServerSideEncryptionConfiguration',
    missing: notFound('NoSuchEncryptionConfiguration', 'encryption')
  },
  inventory: { root: 'InventoryConfiguration', missing: notFound('NoSuchInventoryConfiguration', 'inventory') },
  intelligenttiering: {
    root: 'IntelligentTieringConfiguration',
    missing: xml('<IntelligentTieringConfiguration><Status>Suspended</Status></IntelligentTieringConfiguration>')
  },
  'object-lock': { root: 'ObjectLockConfiguration', missing: notFound('NoSuchObjectLockConfiguration', 'object lock') },
  domain: { root: 'DomainConfiguration', missing: notFound('NoSuchDomainConfiguration', 'domain') },
  accelerate: {
    root: 'AccelerateConfiguration',
    missing: xml('<AccelerateConfiguration><Status>Suspended</Status></AccelerateConfiguration>')
  },
  notification: { root: 'NotificationConfiguration', missing: xml('<NotificationConfiguration/>') }
} satisfies Record<string, Resource>

/** A bucket sub-resource stored as a document: `?lifecycle`, `?policy`, `?tagging`, … (`?cors` is cors.ts's). */
export type StoredDocument = keyof typeof RESOURCES

export const STORED_DOCUMENTS = Object.keys(RESOURCES) as StoredDocument[]

/** Tag rules: at most `max` tags, keys ≤ 128 and values ≤ 256 characters, keys unique. */
export function tagRules(max: number) {
  return (body: unknown) => {
    const list = asArray(childNode(unwrapRoot(body, 'Tagging'), 'TagSet')?.Tag)
    if (list.length > max) throw new CosError('InvalidTag', `At most ${max} tags are allowed, got ${list.length}.`)
    const seen = new Set<string>()
    for (const tag of list) {
      const key = childText(tag, 'Key') ?? ''
      const value = childText(tag, 'Value') ?? ''
      if (key === '' || key.length > 128 || value.length > 256) {
        throw new CosError('InvalidTag', `Tag keys must have 1-128 characters and values at most 256 ("${key}").`)
      }
      if (seen.has(key)) throw new CosError('InvalidTag', `The tag key "${key}" appears twice.`)
      seen.add(key)
    }
  }
}

/** Inventory configurations are kept per ?id=. */
function storageName(ex: Exchange, name: string): string {
  if (name !== 'inventory') return name
  const id = ex.query.get('id')
  if (!id)
    throw new CosError(
      'NotImplemented',
      'Listing inventory configurations is not implemented by COS Local; name one with ?id=.'
    )
  return `inventory/${id}`
}

async function readDocument(ex: Exchange, resource: Resource): Promise<string> {
  const body = await readBody(ex.req)
  if (resource.json) {
    try {
      JSON.parse(body.toString('utf8'))
    } catch {
      throw new CosError('MalformedPolicy', 'The policy is not valid JSON.', { status: 400 })
    }
    return body.toString('utf8')
  }
  const parsed = parseXml(body)
  if (resource.root && unwrapRoot(parsed, resource.root) === undefined) {
    throw new CosError('MalformedXML', `The request body must be a <${resource.root}> element.`)
  }
  resource.validate?.(parsed)
  return body.toString('utf8')
}

/** PUT, GET and DELETE of one stored document. */
export function storedDocumentHandlers(name: StoredDocument): Record<'PUT' | 'GET' | 'DELETE', Handler> {
  const resource: Resource = RESOURCES[name]
  return {
    async PUT(ex) {
      ex.store.getBucket(ex.target.bucket)
      const document = await readDocument(ex, resource)
      ex.features.configs.put(ex.target.bucket, storageName(ex, name), document)
      sendEmpty(ex, name === 'tagging' ? 204 : 200)
    },
    GET(ex) {
      const stored = ex.features.configs.get(ex.target.bucket, storageName(ex, name))
      if (stored !== undefined) {
        if (resource.json) sendJson(ex, stored)
        else sendXml(ex, 200, stored)
        return
      }
      if ('document' in resource.missing) sendXml(ex, 200, resource.missing.document(ex))
      else throw new CosError(resource.missing.code, resource.missing.message, { status: 404 })
    },
    DELETE(ex) {
      ex.features.configs.delete(ex.target.bucket, storageName(ex, name))
      sendEmpty(ex, 204)
    }
  }
}

function sendJson(ex: Exchange, text: string): void {
  sendXml(ex, 200, text, { 'Content-Type': 'application/json' })
}

/** `x-cos-acl` (or x-amz-acl) when given, else an AccessControlPolicy body, else private. */
export async function readAcl(ex: Exchange): Promise<string> {
  const canned = ex.cosHeader('acl')
  if (canned !== undefined) {
    ex.req.resume()
    return aclDocument(parseCannedAcl(canned), ex.store.appid)
  }
  const body = await readBody(ex.req)
  if (body.length === 0) return aclDocument('private', ex.store.appid)
  const parsed = parseXml(body)
  if (unwrapRoot(parsed, 'AccessControlPolicy') === undefined) {
    throw new CosError('MalformedXML', 'The request body must be an <AccessControlPolicy> element.')
  }
  return body.toString('utf8')
}

export function defaultAcl(ex: Exchange, acl: CannedAcl = 'private'): string {
  return aclDocument(acl, ex.store.appid)
}

export async function putBucketAcl(ex: Exchange): Promise<void> {
  ex.store.getBucket(ex.target.bucket)
  ex.features.configs.put(ex.target.bucket, 'acl', await readAcl(ex))
  sendEmpty(ex, 200)
}

export function getBucketAcl(ex: Exchange): void {
  sendXml(ex, 200, ex.features.configs.get(ex.target.bucket, 'acl') ?? defaultAcl(ex))
}
