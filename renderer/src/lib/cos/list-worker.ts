/** The listing worker: parses GET Bucket answers off the page's main thread (list-parse.ts). */
import { parseListing, type ListingKind } from './list-parse.ts'

export interface ListingRequest {
  id: number
  kind: ListingKind
  body: string
}

export type ListingAnswer = { id: number; page: ReturnType<typeof parseListing> } | { id: number; error: string }

/** Posted once, after the warm-up: the worker parses at full speed from now on (worker-call.ts). */
export interface ListingReady {
  id: 0
}

// A dedicated worker's global scope (the web tsconfig has the DOM's types, not the worker's).
const scope = self as unknown as {
  onmessage: (event: MessageEvent<ListingRequest>) => void
  postMessage: (answer: ListingAnswer | ListingReady) => void
}

scope.onmessage = (event) => {
  const { id, kind, body } = event.data
  try {
    scope.postMessage({ id, page: parseListing(kind, body) })
  } catch (error) {
    scope.postMessage({ id, error: (error as Error).message })
  }
}

// Warm up: the first parses run in V8's interpreter (700 ms for a 1000-key page on a busy
// machine); a few small synthetic pages at start get the parser compiled before the first
// folder opens. Until the worker says it is ready, the page parses on its own thread
// (list-xml.ts), so a page loaded straight at a folder does not wait for this.
const entry =
  '<Contents><Key>warm%2Fup.txt</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;0&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>'
const sample = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>warm</Name><IsTruncated>false</IsTruncated>${entry.repeat(100)}<CommonPrefixes><Prefix>warm%2F</Prefix></CommonPrefixes></ListBucketResult>`
for (let i = 0; i < 5; i++) parseListing('objects', sample)
scope.postMessage({ id: 0 })
