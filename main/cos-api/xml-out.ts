/** Small helpers to write COS response XML without a DOM. */
import { ownerId } from '../core/cos/acl.ts'
import { escapeXml, urlEncodeKey } from '../core/cos/xml-escape.ts'

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

/** Prebuilt XML written as it is, in place of an element (for large repeated elements). */
export class RawXml {
  constructor(readonly xml: string) {}
}

export type XmlValue = string | number | boolean | undefined | RawXml | XmlNode | XmlNode[]
export interface XmlNode {
  [name: string]: XmlValue
}

/** Serialize `{ Name: value }`; arrays repeat the element; undefined is left out. */
export function toXml(node: XmlNode): string {
  let out = ''
  for (const name in node) {
    const value = node[name]
    if (value === undefined) continue
    if (value instanceof RawXml) {
      out += value.xml
    } else if (Array.isArray(value)) {
      for (const item of value) out += `<${name}>${toXml(item)}</${name}>`
    } else if (typeof value === 'object') {
      out += `<${name}>${toXml(value)}</${name}>`
    } else {
      out += `<${name}>${escapeXml(String(value))}</${name}>`
    }
  }
  return out
}

export function xmlDocument(root: string, body: XmlNode): string {
  return `${XML_DECLARATION}<${root}>${toXml(body)}</${root}>`
}

/** The last second formatted (a listing page's objects mostly share a few seconds). */
let cachedSecond = NaN
let cachedPrefix = ''
/** Year 10000: from there toISOString writes a longer, signed year. */
const MAX_PLAIN_YEAR_MS = 253_402_300_800_000

/** ISO 8601 with milliseconds, as COS writes LastModified. */
export function isoDate(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= MAX_PLAIN_YEAR_MS) return new Date(ms).toISOString()
  const second = Math.floor(ms / 1000)
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20) // 'YYYY-MM-DDTHH:MM:SS.'
    cachedSecond = second
  }
  const millis = ms - second * 1000
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`
}

/** A key or prefix as written in a listing (url-encoded under encoding-type=url). */
export function listedKey(key: string, urlEncoded: boolean): string {
  return urlEncoded ? urlEncodeKey(key) : key
}

/** The Owner (and Initiator) of a listing: the account's CAM id, shown by its appid. */
export function ownerNode(appid: string): { ID: string; DisplayName: string } {
  return { ID: ownerId(appid), DisplayName: appid }
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`
}
