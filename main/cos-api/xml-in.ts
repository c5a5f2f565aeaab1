/**
 * Request bodies in XML (Delete Multiple, Complete Multipart, Create Bucket): read with a
 * size limit, validate, parse with fast-xml-parser. Bad bodies are MalformedXML.
 */
import type { IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'
import type * as FastXml from 'fast-xml-parser'
import type { XMLParser } from 'fast-xml-parser'
import { CosError } from '../core/cos/errors.ts'

// Loaded on the first XML body, not at start-up (≈ 60 ms of a restart that should take < 0.5 s).
const requireOnDemand = createRequire(import.meta.url)
let fxp: typeof FastXml | undefined
const xml = (): typeof FastXml => (fxp ??= requireOnDemand('fast-xml-parser') as typeof FastXml)

export const MAX_XML_BYTES = 4 * 1024 * 1024

const ARRAY_ELEMENTS = new Set(['Object', 'Part'])

let parser: XMLParser | undefined
const xmlParser = (): XMLParser =>
  (parser ??= new (xml().XMLParser)({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => ARRAY_ELEMENTS.has(name)
  }))

/** The whole body; past `limit` the rest is drained (so the error can be answered) and rejected. */
export function readBody(req: IncomingMessage, limit = MAX_XML_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > limit) reject(new CosError('XMLSizeLimit', `The XML request body is larger than ${limit} bytes.`))
      else resolve(Buffer.concat(chunks))
    })
    req.on('error', reject)
  })
}

export function parseXml(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8')
  if (text.trim() === '' || xml().XMLValidator.validate(text) !== true) {
    throw new CosError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema.'
    )
  }
  try {
    return xmlParser().parse(text) as Record<string, unknown>
  } catch {
    throw new CosError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema.'
    )
  }
}

/** The text of a child element, trimmed; undefined when absent or not text. */
export function textOf(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined
  const value = (node as Record<string, unknown>)[name]
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'object' && '#text' in (value as object))
    return String((value as Record<string, unknown>)['#text'])
  return typeof value === 'object' ? '' : String(value)
}

export function childOf(node: unknown, name: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined
  return (node as Record<string, unknown>)[name]
}
