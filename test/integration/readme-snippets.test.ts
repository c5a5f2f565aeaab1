import { execFile, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../main/app.ts'
import { readmeSnippet } from '../helpers/readme-snippets.ts'

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>
const require = createRequire(import.meta.url)
const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).status === 0

describe('README snippets work against a running emulator', () => {
  let app: App
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cos-local-readme-'))
    app = await createApp({ dataDir: join(dir, 'data'), port: 0, uiPort: 0 })
  })

  afterAll(async () => {
    await app.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const object = async (key: string): Promise<string> =>
    (await fetch(`${app.cosEndpoint}/examplebucket-1250000000/${key}`)).text()

  it('cos-nodejs-sdk-v5 (virtual-host through Ip)', async () => {
    await new AsyncFunction('require', readmeSnippet('cos-nodejs-sdk-v5', app.cosPort))(require)
    expect(await object('hello.txt')).toBe('hello')
  })

  it('AWS SDK v3 (path-style)', async () => {
    await fetch(`${app.cosEndpoint}/examplebucket-1250000000/hello.txt`, { method: 'DELETE' })
    await new AsyncFunction('require', readmeSnippet('aws-sdk-v3', app.cosPort))(require)
    expect(await object('hello.txt')).toBe('hello')
  })

  it.skipIf(!hasRclone)('rclone (S3 provider, path-style)', async () => {
    const config = join(dir, 'rclone.conf')
    writeFileSync(config, readmeSnippet('rclone', app.cosPort))
    const photos = join(dir, 'photos')
    mkdirSync(photos)
    writeFileSync(join(photos, 'cat.jpg'), 'meow')
    writeFileSync(join(photos, 'dog one.jpg'), 'woof')
    // rclone's AWS client refuses AWS_CA_BUNDLE with its own HTTP transport; it is not needed for http://.
    const env = { ...process.env }
    delete env.AWS_CA_BUNDLE
    // Asynchronously: the emulator runs in this process and must keep answering meanwhile.
    const rclone = async (...args: string[]): Promise<string> => {
      const { stdout, stderr } = await promisify(execFile)('rclone', ['--config', config, ...args], { env })
      expect(stderr).not.toMatch(/ERROR/)
      return stdout
    }
    await rclone('mkdir', 'coslocal:rclone-1250000000')
    await rclone('copy', photos, 'coslocal:rclone-1250000000/photos')
    const listing = await rclone('ls', 'coslocal:rclone-1250000000')
    expect(listing).toContain('photos/cat.jpg')
    expect(listing).toContain('photos/dog one.jpg')
    expect(await rclone('cat', 'coslocal:rclone-1250000000/photos/dog one.jpg')).toBe('woof')
  })
})
