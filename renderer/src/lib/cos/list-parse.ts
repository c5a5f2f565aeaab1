/**
 * Listing pages read with fast-xml-parser (list-page.ts builds the page). Pure, so it runs in
 * the listing worker (list-worker.ts) off the page's main thread: a 1000-key page is ~280 KB of
 * XML, and parsing it on the main thread (the SDK's parser, or the browser's DOMParser plus
 * reading the elements) made every page a long task while scrolling a big folder.
 */
import { XMLParser } from 'fast-xml-parser'
import { objectPage, ROOT, versionPage, type ListingKind, type ListingNode } from './list-page.ts'
import type { ObjectPage, VersionPage } from './types.ts'

export type { ListingKind }

const REPEATED = new Set(['Contents', 'CommonPrefixes', 'Version', 'DeleteMarker'])

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  // Keys, sizes and ETags stay text exactly as sent (no number guessing, no trimming).
  parseTagValue: false,
  trimValues: false,
  // Numeric character references (&#x41;) as well as XML's five entities.
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name)
})

type Parsed = Record<string, unknown>

const node = (parsed: Parsed): ListingNode => ({
  text(name) {
    const value = parsed[name]
    return value === undefined || value === null || typeof value === 'object' ? '' : String(value)
  },
  all(name) {
    const value = parsed[name]
    return Array.isArray(value) ? (value as Parsed[]).map(node) : []
  }
})

function root(body: string, name: string): ListingNode {
  const top = (parser.parse(body) as Parsed)[name]
  if (!top || typeof top !== 'object') throw new Error(`The answer is not a ${name} document`)
  return node(top as Parsed)
}

export function parseObjectPage(body: string): ObjectPage {
  return objectPage(root(body, ROOT.objects))
}

export function parseVersionPage(body: string): VersionPage {
  return versionPage(root(body, ROOT.versions))
}

export function parseListing(kind: ListingKind, body: string): ObjectPage | VersionPage {
  return kind === 'objects' ? parseObjectPage(body) : parseVersionPage(body)
}
