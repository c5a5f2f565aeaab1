/**
 * What the desktop window may load and open. The window shows only the app's own UI (the app
 * API's origin); links to a short list of documentation sites open in the user's browser;
 * everything else (other sites, file://, javascript:, new windows) is denied.
 */

/** Hosts whose https pages may open in the user's browser (docs, the project, Tencent Cloud). */
export const EXTERNAL_HOSTS: readonly string[] = [
  'github.com',
  'cloud.tencent.com',
  'console.cloud.tencent.com',
  'www.tencentcloud.com',
  'www.npmjs.com',
  'nodejs.org',
  'www.python.org',
  'docs.python.org',
  'rclone.org'
]

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/** Same origin as the app's UI (scheme, host and port). */
export function isAppUrl(url: string, appUrl: string): boolean {
  const target = parse(url)
  const app = parse(appUrl)
  return Boolean(target && app && target.origin === app.origin)
}

/** An https link to an allow-listed host (or a subdomain of cloud.tencent.com), without credentials. */
export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  const target = parse(url)
  if (!target || target.protocol !== 'https:' || target.username || target.password) return false
  const host = target.hostname.toLowerCase()
  return hosts.includes(host) || host.endsWith('.cloud.tencent.com')
}

export type NavigationDecision = 'allow' | 'open-external' | 'deny'

/** `will-navigate` / `will-redirect`: stay on the app, hand allow-listed links to the browser. */
export function decideNavigation(url: string, appUrl: string): NavigationDecision {
  if (isAppUrl(url, appUrl)) return 'allow'
  return isAllowedExternal(url) ? 'open-external' : 'deny'
}

/** `window.open` / target=_blank: never a new Electron window; allow-listed links go to the browser. */
export function decideWindowOpen(url: string): Exclude<NavigationDecision, 'allow'> {
  return isAllowedExternal(url) ? 'open-external' : 'deny'
}

/**
 * Permission requests (camera, notifications, geolocation, …) are denied, except writing to the
 * clipboard from the app's own page (the "copy endpoint" buttons).
 */
export function permissionAllowed(permission: string, requestingUrl: string, appUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl, appUrl)
}
