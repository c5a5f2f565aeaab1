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
    'cache-control': file === index ? 'no-cache' : 'max-age=3600',
    'x-content-type-options': 'nosniff'
  })
  createReadStream(file).pipe(res)
}
