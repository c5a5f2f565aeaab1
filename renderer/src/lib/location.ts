/**
 * The browser's place in the page URL, so reload, back/forward and links work:
 * `#/<bucket>/<prefix…>/?object=<key>` (each path segment percent-encoded). The query part of
 * the URL (the headless UI's `?token=`) is left alone.
 */

export interface BrowserLocation {
  bucket: string
  prefix: string
  /** The selected object (its details are open), or ''. */
  key: string
}

export function parseLocation(hash: string): BrowserLocation {
  const text = hash.replace(/^#\/?/, '')
  const q = text.indexOf('?')
  const path = q < 0 ? text : text.slice(0, q)
  const query = new URLSearchParams(q < 0 ? '' : text.slice(q + 1))
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part)
    } catch {
      return part
    }
  }
  const [bucket = '', ...rest] = path.split('/')
  const prefix = rest.map(decode).join('/')
  return {
    bucket: decode(bucket),
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    key: query.get('object') ?? ''
  }
}

export function formatLocation(location: BrowserLocation): string {
  if (!location.bucket) return '#/'
  const prefix = location.prefix
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/')
  const query = location.key ? `?${new URLSearchParams({ object: location.key })}` : ''
  return `#/${encodeURIComponent(location.bucket)}/${prefix}${query}`
}

export function currentLocation(): BrowserLocation {
  return parseLocation(window.location.hash)
}

/** Puts the location in the URL: a new history entry when the folder changes, else in place. */
export function writeLocation(location: BrowserLocation): void {
  const hash = formatLocation(location)
  if (hash === window.location.hash || (hash === '#/' && !window.location.hash)) return
  const previous = currentLocation()
  const url = `${window.location.pathname}${window.location.search}${hash}`
  if (previous.bucket === location.bucket && previous.prefix === location.prefix) history.replaceState(null, '', url)
  else history.pushState(null, '', url)
}
