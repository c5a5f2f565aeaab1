/** Escaping for text placed in XML element content and attribute values. */

const SPECIAL = /[&<>"']/

export function escapeXml(text: string): string {
  if (!SPECIAL.test(text)) return text
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string)
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;'
}

/** `<Name>escaped value</Name>`. */
export function xmlElement(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/**
 * `encoding-type=url` for listings: percent-encode like encodeURIComponent but keep '/'
 * readable, as S3 and COS do.
 */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/')
}
