import { describe, expect, it } from 'vitest'
import { connectionSource, contentSecurityPolicy, secureWebPreferences } from '../../../main/desktop/security.ts'
import type { ConnectionInfo } from '../../../preload/contract/connections.ts'
import { mainWindowOptions } from '../../../main/desktop/window-options.ts'

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/)
      return [name!, sources]
    })
  )
}

describe('window security options', () => {
  it('isolates the page: context isolation, sandbox, no Node, no webview, web security on', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs')
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Only for Chromium's PDF viewer (the details panel's PDF preview); nothing else is a plugin.
      plugins: true
    })
  })

  it('builds the main window from clamped bounds, hidden until ready, in the theme colour', () => {
    const options = mainWindowOptions({
      bounds: { x: 10, y: 20, width: 1200, height: 800 },
      preload: '/p.cjs',
      darkMode: true
    })
    expect(options).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false, title: 'COS Local' })
    expect(options.backgroundColor).toBe('#16181d')
    expect(mainWindowOptions({ bounds: options, preload: '/p.cjs', darkMode: false }).backgroundColor).toBe('#ffffff')
    expect(options.webPreferences.sandbox).toBe(true)
  })
})

describe('Content-Security-Policy', () => {
  const csp = contentSecurityPolicy('http://127.0.0.1:9501', 'http://127.0.0.1:9500')
  const d = directives(csp)

  it('runs only the app’s own scripts and allows no <object>/<embed>, no <base>, and no framing of the app', () => {
    expect(d.get('script-src')).toEqual(["'self'"])
    expect(d.get('default-src')).toEqual(["'self'"])
    expect(d.get('object-src')).toEqual(["'none'"])
    expect(d.get('frame-ancestors')).toEqual(["'none'"])
    expect(d.get('base-uri')).toEqual(["'none'"])
    expect(csp).not.toContain('unsafe-eval')
  })

  it('connects only to the app API (HTTP and WebSocket) and the COS endpoint on their exact ports', () => {
    expect(d.get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:9501',
      'ws://127.0.0.1:9501',
      'http://127.0.0.1:9500'
    ])
    expect(d.get('img-src')).toContain('http://127.0.0.1:9500')
    expect(csp).not.toMatch(/\*/)
  })

  it('frames only the COS endpoint (PDF previews load its pre-signed URL in an iframe)', () => {
    expect(d.get('frame-src')).toEqual(['http://127.0.0.1:9500'])
    const remote = directives(contentSecurityPolicy('http://127.0.0.1:9501', 'http://192.168.1.20:9500/'))
    expect(remote.get('frame-src')).toEqual(['http://192.168.1.20:9500'])
    expect(remote.get('frame-src')).not.toContain('http://127.0.0.1:9501')
  })

  it('names each saved connection: a custom endpoint by its origin, Tencent Cloud by its bucket hosts', () => {
    const saved = directives(
      contentSecurityPolicy('http://127.0.0.1:9501', 'http://127.0.0.1:9500', [
        { kind: 'custom', endpoint: 'http://192.168.1.20:9600/' },
        { kind: 'tencent', endpoint: '' }
      ] as ConnectionInfo[])
    )
    for (const directive of ['connect-src', 'img-src', 'media-src', 'frame-src']) {
      expect(saved.get(directive)).toEqual(
        expect.arrayContaining(['http://127.0.0.1:9500', 'http://192.168.1.20:9600', 'https://*.myqcloud.com'])
      )
    }
    expect(connectionSource({ kind: 'custom', endpoint: 'https://cos.example.test:8443/base' })).toBe(
      'https://cos.example.test:8443'
    )
    // Scripts never come from a connection.
    expect(saved.get('script-src')).toEqual(["'self'"])
  })

  it('follows fallback ports', () => {
    const other = directives(contentSecurityPolicy('http://127.0.0.1:41234/', 'http://127.0.0.1:41233'))
    expect(other.get('connect-src')).toContain('ws://127.0.0.1:41234')
    expect(other.get('connect-src')).toContain('http://127.0.0.1:41233')
  })
})
