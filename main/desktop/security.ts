/**
 * The window's security settings and Content-Security-Policy, as plain data (the Electron glue
 * passes them to BrowserWindow and to the session's response headers).
 */
import type { ConnectionInfo } from '../../preload/contract/connections.ts'

/** The webPreferences every COS Local window gets. */
export interface SecureWebPreferences {
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  webviewTag: false
  navigateOnDragDrop: false
  spellcheck: false
  experimentalFeatures: false
  /** Chromium's PDF viewer is the only plugin left; without it a PDF preview becomes a download. */
  plugins: true
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    experimentalFeatures: false,
    plugins: true
  }
}

/**
 * Where the object browser reaches a saved connection: a custom endpoint by its exact origin;
 * Tencent Cloud by its bucket hosts (`https://<bucket>.cos.<region>.myqcloud.com`, and the
 * service host for the bucket list).
 */
export function connectionSource(connection: Pick<ConnectionInfo, 'kind' | 'endpoint'>): string {
  return connection.kind === 'custom' && connection.endpoint ? origin(connection.endpoint) : 'https://*.myqcloud.com'
}

function origin(url: string): string {
  return new URL(url).origin
}

function wsOrigin(url: string): string {
  const parsed = new URL(url)
  parsed.protocol = parsed.protocol === 'https:' ? 'wss:' : 'ws:'
  return parsed.origin
}

/**
 * The CSP of the app's pages in the desktop window: scripts only from the app itself, network
 * only to the app API (HTTP + its WebSocket), the emulator's COS endpoint and the saved
 * connections' endpoints (built for each page load, so a new connection counts after a reload), no <base>, no
 * <object>/<embed>, and the app itself never framed. Frames come only from the COS endpoint: the
 * details panel shows a PDF in an <iframe> of its pre-signed URL (Chromium's own PDF viewer,
 * which draws inside that frame, so object-src stays 'none').
 * Inline styles are allowed (Svelte style bindings, xterm).
 */
export function contentSecurityPolicy(
  appApiUrl: string,
  cosEndpoint: string,
  connections: readonly ConnectionInfo[] = []
): string {
  const app = origin(appApiUrl)
  const cos = [origin(cosEndpoint), ...connections.map(connectionSource)]
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...cos]],
    ['media-src', ["'self'", 'blob:', ...cos]],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", app, wsOrigin(appApiUrl), ...cos]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['frame-src', cos],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'", ...cos]]
  ]
  return directives.map(([name, sources]) => `${name} ${[...new Set(sources)].join(' ')}`).join('; ')
}
