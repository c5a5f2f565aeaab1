import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { alreadyRunningMessage, answers, runningInstance } from '../../../main/desktop/instance-guard.ts'
import { dataDirArgument, BUILD_INPUTS, BUILD_OUTPUTS, decideLaunch, needsBuild } from '../../../main/desktop/launch.ts'

const present = { path: '/opt/electron/electron' }

describe('npm start: desktop or headless', () => {
  it('opens the desktop app when Electron is installed and a display is available', () => {
    expect(decideLaunch({ electron: present, platform: 'linux', env: { DISPLAY: ':0' } })).toEqual({
      mode: 'desktop',
      electron: present.path
    })
    expect(decideLaunch({ electron: present, platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }).mode).toBe(
      'desktop'
    )
    expect(decideLaunch({ electron: present, platform: 'darwin', env: {} }).mode).toBe('desktop')
    expect(decideLaunch({ electron: present, platform: 'win32', env: {} }).mode).toBe('desktop')
  })

  it('runs headless with the reason otherwise', () => {
    expect(
      decideLaunch({
        electron: { missing: 'Electron failed to install correctly' },
        platform: 'linux',
        env: { DISPLAY: ':0' }
      })
    ).toEqual({
      mode: 'headless',
      reason: 'the Electron binary is not installed: Electron failed to install correctly'
    })
    expect(decideLaunch({ electron: present, platform: 'linux', env: {} })).toEqual({
      mode: 'headless',
      reason: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)'
    })
    expect(decideLaunch({ electron: present, platform: 'darwin', env: { COS_LOCAL_HEADLESS: '1' } }).mode).toBe(
      'headless'
    )
  })
})

describe('needsBuild', () => {
  it('builds when out/ is missing or older than a source file, not when it is fresh', () => {
    const root = mkdtempSync(join(tmpdir(), 'cos-local-needs-build-'))
    try {
      const touch = (path: string, seconds: number): void => {
        mkdirSync(dirname(join(root, path)), { recursive: true })
        writeFileSync(join(root, path), '')
        utimesSync(join(root, path), seconds, seconds)
      }
      touch('main/app.ts', 1000)
      touch('package.json', 1000)
      expect(needsBuild(root)).toBe(true)
      for (const output of BUILD_OUTPUTS) touch(output, 2000)
      expect(needsBuild(root)).toBe(false)
      touch('renderer/src/App.svelte', 3000)
      expect(needsBuild(root)).toBe(true)
      expect(BUILD_INPUTS).toContain('preload')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe('one core per data folder', () => {
  it('finds a live other instance from instance.json, and ignores stale, own or malformed records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-local-instance-'))
    try {
      const write = (value: unknown): void => writeFileSync(join(dir, 'instance.json'), JSON.stringify(value))
      expect(runningInstance(dir)).toBeUndefined()
      write({ pid: process.ppid, appApiUrl: 'http://127.0.0.1:9501', cosEndpoint: 'http://127.0.0.1:9500' })
      const other = runningInstance(dir)
      expect(other).toEqual({
        pid: process.ppid,
        appApiUrl: 'http://127.0.0.1:9501',
        cosEndpoint: 'http://127.0.0.1:9500'
      })
      expect(alreadyRunningMessage(dir, other!)).toContain(`process ${process.ppid}`)
      expect(runningInstance(dir, () => false)).toBeUndefined()
      expect(runningInstance(dir, () => true, process.ppid)).toBeUndefined()
      write({ pid: 'x' })
      expect(runningInstance(dir)).toBeUndefined()
      writeFileSync(join(dir, 'instance.json'), '{ half')
      expect(runningInstance(dir)).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('desktop arguments', () => {
  it('takes the data folder from --data DIR or --data=DIR, as cos-local serve does', () => {
    expect(dataDirArgument(['/opt/electron', '/app', '--data', '/tmp/d'])).toBe('/tmp/d')
    expect(dataDirArgument(['/app', '--data=/tmp/e'])).toBe('/tmp/e')
    expect(dataDirArgument(['/app', '--data'])).toBeUndefined()
    expect(dataDirArgument(['/app', '--data', '--fsync'])).toBeUndefined()
    expect(dataDirArgument(['/app'])).toBeUndefined()
  })
})

describe('a running instance answers on its app API', () => {
  it('is confirmed by GET /api/info with its token, and not by a dead address', async () => {
    const { createServer } = await import('node:http')
    const server = createServer((req, res) => {
      res.writeHead(req.headers.authorization === 'Bearer t0k' ? 200 : 401).end('{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    try {
      expect(await answers({ pid: 1, appApiUrl: url, token: 't0k' })).toBe(true)
      expect(await answers({ pid: 1, appApiUrl: url, token: 'wrong' })).toBe(false)
      expect(await answers({ pid: 1 })).toBe(false)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    expect(await answers({ pid: 1, appApiUrl: url, token: 't0k' })).toBe(false)
  })
})
