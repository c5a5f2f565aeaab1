/** Reading COS XML responses with the browser's DOMParser, and writing small request bodies. */

/** Parses an XML document; returns undefined when the text is not XML. */
export function parseXml(text: string): Document | undefined {
  if (!text.trim()) return undefined
  const doc = new DOMParser().parseFromString(text, 'application/xml')
  return doc.getElementsByTagName('parsererror').length > 0 ? undefined : doc
}

/** Direct children of `parent` with the given tag name. */
export function children(parent: Element, tag: string): Element[] {
  return Array.from(parent.children).filter((child) => child.localName === tag)
}

/** Text of the first direct child with the given tag, or undefined. */
export function childText(parent: Element, tag: string): string | undefined {
  return children(parent, tag)[0]?.textContent ?? undefined
}

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`)
}
