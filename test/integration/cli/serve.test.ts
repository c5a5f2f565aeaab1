import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, startServe, type ServeProcess } from '../../helpers/serve-process.ts'

describe('cos-local serve (headless shell)', () => {
  const dirs: string[] = []
  let server: ServeProcess | undefined

  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-local-cli-'))
    dirs.push(dir)
    return dir
  }

  afterEach(async () => {
    await server?.stop('SIGKILL')
    server = undefined
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('prints the endpoint, credentials and UI URL, and answers GET Service on the COS port', async () => {
    const data = tempDir()
    server = await startServe(['--data', data, '--port', '0', '--ui-port', '0', '--appid', '1300000000'])
    expect(server.output()).toMatch(/SecretId\s+AKIDcoslocal/)
    expect(server.output()).toMatch(/APPID\s+1300000000/)
    expect(server.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/)

    const service = await fetch(server.cosEndpoint + '/')
    expect(service.status).toBe(200)
    expect(service.headers.get('x-cos-request-id')).toBeTruthy()
    expect(await service.text()).toContain('<ListAllMyBucketsResult')

    const instance = JSON.parse(readFileSync(join(data, 'instance.json'), 'utf8')) as Record<string, unknown>
    expect(instance.cosEndpoint).toBe(server.cosEndpoint)
    expect(instance.pid).toBe(server.child.pid)
  })

  it('shuts down cleanly on SIGTERM and SIGINT and removes instance.json', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const data = tempDir()
      server = await startServe(['--data', data, '--port', '0', '--ui-port', '0'])
      expect(await server.stop(signal)).toBe(0)
      expect(server.output()).toContain(`${signal}: stopping COS Local`)
      expect(existsSync(join(data, 'instance.json'))).toBe(false)
    }
  })

  it('keeps objects across a restart on the same data folder', async () => {
    const data = tempDir()
    server = await startServe(['--data', data, '--port', '0', '--ui-port', '0'])
    expect((await fetch(`${server.cosEndpoint}/keep-1250000000`, { method: 'PUT' })).status).toBe(200)
    expect((await fetch(`${server.cosEndpoint}/keep-1250000000/a.txt`, { method: 'PUT', body: 'kept' })).status).toBe(
      200
    )
    await server.stop()
    server = await startServe(['--data', data, '--port', '0', '--ui-port', '0'])
    const again = await fetch(`${server.cosEndpoint}/keep-1250000000/a.txt`)
    expect(await again.text()).toBe('kept')
  })

  it('rejects bad flags with a readable message and exit code 2', async () => {
    const bad = await runCli(['serve', '--port', 'eighty'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--port must be an integer from 0 to 65535')
    const pair = await runCli(['serve', '--secret-id', 'AKID'])
    expect(pair.code).toBe(2)
    expect(pair.stderr).toContain('--secret-id and --secret-key go together')
  })
})

describe('cos-local serve on a shared host', () => {
  it('--host 0.0.0.0 without credentials is refused before anything binds, saying why', async () => {
    const data = mkdtempSync(join(tmpdir(), 'cos-local-cli-'))
    try {
      const result = await runCli(['serve', '--data', data, '--host', '0.0.0.0', '--port', '0', '--ui-port', '0'])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('--host 0.0.0.0 binds every network interface')
      expect(result.stderr).toContain('--secret-id ID --secret-key KEY')
      expect(result.stderr).toContain('--allow-open')
      expect(result.stdout).not.toContain('COS Local is running')
    } finally {
      rmSync(data, { recursive: true, force: true })
    }
  })
})
