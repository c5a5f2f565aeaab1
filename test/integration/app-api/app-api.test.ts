import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createApp, type App } from '../../../main/app.ts'

describe('app API security and info', () => {
  let app: App
  let dataDir: string

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cos-local-api-'))
    app = await createApp({ dataDir, port: 0, uiPort: 0 })
  })

  afterAll(async () => {
    await app.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('answers /api/info with the COS endpoint and credentials when the token is given', async () => {
    const response = await fetch(`${app.appApiUrl}/api/info`, { headers: { authorization: `Bearer ${app.token}` } })
    expect(response.status).toBe(200)
    const info = (await response.json()) as { cosEndpoint: string; appid: string; credentials: { secretId: string } }
    expect(info.cosEndpoint).toBe(app.cosEndpoint)
    expect(info.appid).toBe('1250000000')
    expect(info.credentials.secretId).toBe('AKIDcoslocal')
  })

  it('refuses API calls without the token, with a JSON error', async () => {
    const response = await fetch(`${app.appApiUrl}/api/info`)
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('Unauthorized')
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.appApiUrl}/api/info`, {
        headers: { host: 'evil.example:80', authorization: `Bearer ${app.token}` }
      })
      req.on('response', (res) => resolve(res.statusCode ?? 0))
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(403)
  })

  it('accepts the push WebSocket only with the token and a local Origin', async () => {
    const wsUrl = app.appApiUrl.replace('http', 'ws') + '/api/push'
    const outcome = (url: string, origin?: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = new WebSocket(url, origin ? { origin } : {})
        socket.on('open', () => {
          socket.close()
          resolve('open')
        })
        socket.on('error', () => resolve('refused'))
      })
    expect(await outcome(`${wsUrl}?token=${app.token}`)).toBe('open')
    expect(await outcome(`${wsUrl}?token=wrong`)).toBe('refused')
    expect(await outcome(`${wsUrl}?token=${app.token}`, 'http://evil.example')).toBe('refused')
  })

  it('serves the UI page (or says how to build it) on the UI URL', async () => {
    const response = await fetch(app.uiUrl)
    const text = await response.text()
    if (response.status === 200) expect(text).toContain('<div id="app">')
    else expect(text).toContain('npm run build')
  })
})
