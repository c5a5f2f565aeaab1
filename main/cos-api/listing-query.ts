/**
 * The query parameters every listing shares (GET Bucket, GET Bucket Object versions, List
 * Multipart Uploads, List Parts): `encoding-type` (only `url`), a page size (`max-keys`,
 * `max-uploads`, `max-parts`: a non-negative integer, capped at 1000), `prefix`, `delimiter`.
 */
import { CosError } from '../core/cos/errors.ts'
import { parseMaxKeys } from '../core/cos/listing.ts'

export interface ListingQuery {
  /** `encoding-type=url`: keys, prefixes and delimiters are answered URL-encoded. */
  url: boolean
  /** The page size, 1000 when not given. */
  max: number
  prefix: string
  delimiter: string
}

/** Reads the shared listing parameters; `maxName` is the page-size parameter of this listing. */
export function listingQuery(query: URLSearchParams, maxName: 'max-keys' | 'max-uploads' | 'max-parts'): ListingQuery {
  return {
    url: urlEncoded(query),
    max: pageSize(query, maxName),
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? ''
  }
}

function urlEncoded(query: URLSearchParams): boolean {
  const encoding = query.get('encoding-type')
  if (encoding !== null && encoding !== 'url') {
    throw new CosError('InvalidArgument', `Invalid encoding-type "${encoding}": only "url" is supported.`)
  }
  return encoding === 'url'
}

function pageSize(query: URLSearchParams, name: string): number {
  const max = parseMaxKeys(query.get(name))
  if (max === undefined) throw new CosError('InvalidArgument', `${name} must be a non-negative integer.`)
  return max
}
