/**
 * Reading XML bodies after fast-xml-parser turned them into plain objects: an element that
 * occurs once is an object (or a string), one that repeats is an array, an empty element is
 * '' and text may be a string or a number. These helpers hide that for the config parsers.
 */

export type XmlNode = Record<string, unknown>

/** Zero, one or many occurrences as an array. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** A child element as an object ('' or a missing element gives undefined). */
export function childNode(node: unknown, name: string): XmlNode | undefined {
  if (typeof node !== 'object' || node === null) return undefined
  const value = (node as XmlNode)[name]
  if (Array.isArray(value)) return childNode({ [name]: value[0] }, name)
  return typeof value === 'object' && value !== null ? (value as XmlNode) : undefined
}

/** The text of a child element, trimmed; undefined when the element is absent. */
export function childText(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined
  let value = (node as XmlNode)[name]
  if (Array.isArray(value)) value = value[0]
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'object' && '#text' in value) return String((value as XmlNode)['#text']).trim()
  return ''
}

/** `true` / `false` text (case-insensitive); `fallback` when absent; undefined when invalid. */
export function childBoolean(node: unknown, name: string, fallback: boolean): boolean | undefined {
  const text = childText(node, name)
  if (text === undefined || text === '') return fallback
  const lower = text.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  return undefined
}

/** The root's single child: `{ RestoreRequest: {...} }` → the inner object, or the node itself. */
export function unwrapRoot(body: unknown, rootName: string): XmlNode | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const inner = (body as XmlNode)[rootName]
  if (inner === undefined) return undefined
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return inner as XmlNode
  return inner === '' ? {} : undefined
}
