/**
 * Listing pages read with the browser's DOMParser (list-page.ts builds the page), on the page's
 * own thread: for the pages parsed before the listing worker is up (list-xml.ts), such as the
 * first folder of a page loaded at its address. Native, so fast from the first call, where
 * fast-xml-parser's first parses run in V8's interpreter; and it keeps that parser out of the
 * app's script (the worker has its own).
 */
import { objectPage, ROOT, versionPage, type ListingKind, type ListingNode } from './list-page.ts'
import type { ObjectPage, VersionPage } from './types.ts'

const node = (element: Element): ListingNode => ({
  text(name) {
    for (const child of element.children) if (child.localName === name) return child.textContent ?? ''
    return ''
  },
  all(name) {
    const found: ListingNode[] = []
    for (const child of element.children) if (child.localName === name) found.push(node(child))
    return found
  }
})

export function parseListingDom(kind: 'objects', body: string): ObjectPage
export function parseListingDom(kind: 'versions', body: string): VersionPage
export function parseListingDom(kind: ListingKind, body: string): ObjectPage | VersionPage
export function parseListingDom(kind: ListingKind, body: string): ObjectPage | VersionPage {
  const document = new DOMParser().parseFromString(body, 'application/xml')
  const top = document.documentElement
  const failure = document.querySelector('parsererror')
  if (failure) throw new Error(failure.textContent?.trim() || 'not well-formed XML')
  if (top.localName !== ROOT[kind]) throw new Error(`The answer is not a ${ROOT[kind]} document`)
  return kind === 'objects' ? objectPage(node(top)) : versionPage(node(top))
}
