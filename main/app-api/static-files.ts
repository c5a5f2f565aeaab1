/** Serves the built UI (out/renderer) with an SPA fallback to index.html. */
import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon'
}

/**
 * How long the browser may reuse a file without asking: index.html always asks (it names the
 * current build's files); the build's assets (assets/, content-hashed names: a name never gets
 * other bytes) for a year, so a load days later still finds the app's script in the HTTP cache
 * and with it V8's code cache (a load that fetches and compiles the script anew used ≈ 260
 * against ≈ 75 ms of the page's main thread at the million bucket); other files an hour.
 */
function cacheControl(file: string, index: string, uiDir: string): string {
  if (file === index) return 'no-cache'
  return file.startsWith(join(uiDir, 'assets') + sep) ? 'max-age=31536000, immutable' : 'max-age=3600'
}

export function serveStatic(uiDir: string, pathname: string, res: ServerResponse): void {
  const index = join(uiDir, 'index.html')
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(`The COS Local UI is not built (no ${index}). Run: npm run build\n`)
    return
  }
  let file = normalize(join(uiDir, decodeURIComponent(pathname)))
  if (!file.startsWith(uiDir + sep) || !existsSync(file) || statSync(file).isDirectory()) file = index
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': cacheControl(file, index, uiDir),
    'x-content-type-options': 'nosniff'
  })
  createReadStream(file).pipe(res)
}
