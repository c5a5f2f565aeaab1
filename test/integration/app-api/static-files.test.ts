import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveStatic } from '../../../main/app-api/static-files.ts'

let uiDir: string
let server: Server
let base: string

beforeAll(async () => {
  uiDir = mkdtempSync(join(tmpdir(), 'cos-local-static-'))
  mkdirSync(join(uiDir, 'assets'))
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(uiDir, 'assets', 'index-AbC123.js'), 'export {}')
  writeFileSync(join(uiDir, 'icon.png'), 'png')
  server = createServer((req, res) => serveStatic(uiDir, new URL(req.url!, 'http://x').pathname, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(uiDir, { recursive: true, force: true })
})

describe('the built UI as static files', () => {
  it('hashed assets are kept for a year, index.html is always revalidated, other files an hour', async () => {
    const asset = await fetch(`${base}/assets/index-AbC123.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(asset.headers.get('cache-control')).toBe('max-age=31536000, immutable')
    expect(await asset.text()).toBe('export {}')
    for (const path of ['/', '/index.html', '/assets/gone-XyZ.js', '/some/route'] as const) {
      const page = await fetch(base + path)
      expect([path, page.headers.get('cache-control'), await page.text()]).toEqual([
        path,
        'no-cache',
        '<!doctype html><title>app</title>'
      ])
    }
    expect((await fetch(`${base}/icon.png`)).headers.get('cache-control')).toBe('max-age=3600')
  })

  it('paths out of the UI folder get index.html', async () => {
    const response = await fetch(`${base}/assets/..%2F..%2F..%2Fetc%2Fpasswd`)
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(await response.text()).toBe('<!doctype html><title>app</title>')
  })
})
