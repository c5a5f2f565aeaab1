/**
 * List Objects among many objects spread over 100 prefixes: one 1000-key page under a
 * prefix, the top level with delimiter=/, and the full marker-paged listing.
 */
import { BUCKET, objectPath, type Client } from './client.ts'
import { forEachConcurrent, median } from './load.ts'

export const PREFIXES = 100

export function keyOf(i: number, perPrefix: number): string {
  const prefix = String(Math.floor(i / perPrefix)).padStart(3, '0')
  return `p${prefix}/k${String(i % perPrefix).padStart(5, '0')}`
}

export interface LoadStats {
  loaded: number
  seconds: number
  /** true when the time limit stopped the load early. */
  cut: boolean
}

/** PUTs `total` 4-byte objects at concurrency 64, stopping early after `limitMs`. */
export async function loadObjects(client: Client, total: number, limitMs: number): Promise<LoadStats> {
  await client.createBucket()
  const perPrefix = total / PREFIXES
  const body = Buffer.from('four')
  const started = performance.now()
  const deadline = started + limitMs
  let loaded = 0
  let cut = false
  await forEachConcurrent(total, 64, async (i) => {
    if (performance.now() > deadline) {
      cut = true
      return
    }
    await client.ok('PUT', objectPath(keyOf(i, perPrefix)), { body })
    loaded++
  })
  return { loaded, seconds: (performance.now() - started) / 1000, cut }
}

interface Page {
  keys: number
  prefixes: number
  truncated: boolean
  lastKey?: string
  nextMarker?: string
}

function parsePage(xml: string): Page {
  const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)]
  return {
    keys: keys.length,
    prefixes: (xml.match(/<CommonPrefixes>/g) ?? []).length,
    truncated: /<IsTruncated>true<\/IsTruncated>/.test(xml),
    lastKey: keys.at(-1)?.[1],
    nextMarker: /<NextMarker>([^<]*)<\/NextMarker>/.exec(xml)?.[1]
  }
}

async function list(client: Client, query: Record<string, string>): Promise<{ page: Page; ms: number }> {
  const started = performance.now()
  const reply = await client.ok('GET', `/${BUCKET}?${new URLSearchParams(query)}`)
  return { ms: performance.now() - started, page: parsePage(reply.text) }
}

export interface ListingResult {
  /** Median ms of a 1000-key (or perPrefix) page under one prefix. */
  prefixPageMs: number
  /** Median ms of the top level with delimiter=/. */
  delimiterMs: number
  /** Total ms of the full marker-paged listing, 1000 per page (median of the runs). */
  fullMs: number
  /** Slowest single page seen in the full listings. */
  slowestPageMs: number
  pages: number
  keysListed: number
}

export async function benchListing(client: Client, perPrefix: number, repeats = 5): Promise<ListingResult> {
  const prefixTimes: number[] = []
  const delimiterTimes: number[] = []
  for (let r = 0; r < repeats; r++) {
    const one = await list(client, { prefix: 'p042/', 'max-keys': '1000' })
    if (one.page.keys !== Math.min(perPrefix, 1000)) throw new Error(`prefix page had ${one.page.keys} keys`)
    prefixTimes.push(one.ms)
    const top = await list(client, { delimiter: '/', 'max-keys': '1000' })
    if (top.page.prefixes !== PREFIXES) throw new Error(`delimiter listing had ${top.page.prefixes} prefixes`)
    delimiterTimes.push(top.ms)
  }

  const fullTimes: number[] = []
  let slowestPageMs = 0
  let pages: number
  let keysListed: number
  do {
    const started = performance.now()
    let marker = ''
    pages = 0
    keysListed = 0
    for (;;) {
      const { page, ms } = await list(client, { marker, 'max-keys': '1000' })
      slowestPageMs = Math.max(slowestPageMs, ms)
      pages++
      keysListed += page.keys
      if (!page.truncated) break
      marker = page.nextMarker ?? page.lastKey ?? ''
    }
    fullTimes.push(performance.now() - started)
    // A slow peer (seconds per listing) is listed once; a fast one three times.
  } while (fullTimes.length < 3 && fullTimes[0]! < 3000)

  return {
    prefixPageMs: median(prefixTimes),
    delimiterMs: median(delimiterTimes),
    fullMs: median(fullTimes),
    slowestPageMs,
    pages,
    keysListed
  }
}
