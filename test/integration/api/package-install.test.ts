/**
 * The published package as a user gets it: `npm pack` the project, install the tarball into
 * a fresh temp project (from npm's cache, --prefer-offline), then run a consumer test there
 * with `node --test` and type-check a TypeScript consumer against the installed types.
 * Builds first when out/ is missing or older than main/ (`npm test` builds before this).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..', '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const work = mkdtempSync(join(tmpdir(), 'cos-local-pack-'))
const consumer = join(work, 'consumer')
let tarball = ''
let packedFiles: string[] = []

function newest(dir: string): number {
  let time = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return time
}

function built(file: string, sources: string[]): boolean {
  const path = join(root, file)
  return existsSync(path) && statSync(path).mtimeMs >= Math.max(...sources.map((s) => newest(join(root, s))))
}

beforeAll(async () => {
  if (!built('out/main/api.js', ['main', 'preload']) || !existsSync(join(root, 'out/renderer/index.html'))) {
    await run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root })
  }
  if (!built('out/types/public.d.ts', ['main/api'])) {
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.api.json'], {
      cwd: root
    })
  }
  const packed = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root })
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[]
  tarball = join(work, info!.filename)
  packedFiles = info!.files.map((file) => file.path)

  writeFileSync(join(work, 'package.json'), '{}') // keeps npm from walking up to another project
  mkdirSync(consumer)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
    cwd: consumer,
    env: { ...process.env, npm_config_loglevel: 'error' }
  })
}, 600_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('npm pack', () => {
  it('holds the built bundle, its types, the bin, the function runtimes and the UI, and no sources or tests', () => {
    for (const file of [
      'package.json',
      'bin/cos-local.js',
      'out/main/api.js',
      'out/main/cli.js',
      'out/types/public.d.ts',
      'out/main/runtimes/node-bootstrap.cjs',
      'out/main/runtimes/python_bootstrap.py',
      'out/renderer/index.html'
    ]) {
      expect(packedFiles).toContain(file)
    }
    expect(packedFiles.filter((file) => /^(test|main|bench|renderer|preload)\//.test(file))).toEqual([])
    expect(packedFiles.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([])
  })
})

describe('the installed tarball', () => {
  it('brings its runtime dependencies and not Electron', () => {
    const modules = join(consumer, 'node_modules')
    expect(existsSync(join(modules, 'cos-local/out/main/api.js'))).toBe(true)
    expect(existsSync(join(modules, 'libsql'))).toBe(true)
    expect(existsSync(join(modules, 'electron'))).toBe(false)
    expect(existsSync(join(modules, 'electron-builder'))).toBe(false)
  })

  it('passes a consumer test run with node --test', async () => {
    writeFileSync(
      join(consumer, 'consumer.test.mjs'),
      `import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { startCosLocal } from 'cos-local'

test('startCosLocal from the installed package', async () => {
  const [cos, other] = await Promise.all([startCosLocal(), startCosLocal({ uiPort: false })])
  assert.notEqual(cos.endpoint, other.endpoint)
  const bucket = cos.bucket('consumer')
  assert.equal((await fetch(cos.endpoint + '/' + bucket, { method: 'PUT' })).status, 200)
  await cos.functions.create({
    name: 'echo',
    files: { 'index.js': 'exports.main_handler = async (e) => ({ size: e.Records[0].cos.cosObject.size })' }
  })
  await cos.triggers.add({ function: 'echo', bucket: 'consumer', events: 'cos:ObjectCreated:*' })
  const put = await fetch(cos.endpoint + '/' + bucket + '/hello.txt', { method: 'PUT', body: 'hello' })
  assert.equal(put.status, 200)
  const run = await cos.waitForInvocation({ function: 'echo', key: 'hello.txt', timeoutMs: 30000 })
  assert.equal(run.status, 'succeeded')
  assert.deepEqual(run.result, { size: 5 })
  assert.match(run.logs.join('\\n'), /^START RequestId:/)
  assert.equal((await fetch(cos.uiUrl)).status, 200)
  assert.equal(cos.sdkOptions().Ip, new URL(cos.endpoint).host)
  assert.equal(cos.sdkOptions('s3').forcePathStyle, true)
  await Promise.all([cos.stop(), other.stop()])
  assert.equal(existsSync(cos.dataDir), false)
  assert.equal(existsSync(other.dataDir), false)
})
`
    )
    const { stdout } = await run(process.execPath, ['--test', 'consumer.test.mjs'], { cwd: consumer })
    expect(stdout).toMatch(/# pass 1/)
    expect(stdout).toMatch(/# fail 0/)
  })

  it('type-checks a TypeScript consumer against the published declarations', async () => {
    writeFileSync(
      join(consumer, 'typed.ts'),
      `import { startCosLocal, type CosLocal, type Invocation } from 'cos-local'
const cos: CosLocal = await startCosLocal({ port: 0, uiPort: false, clockSpeed: 60 })
const sdk: { SecretId: string; Ip: string } = cos.sdkOptions()
const s3: { endpoint: string; forcePathStyle: true } = cos.sdkOptions('s3')
const run: Invocation = await cos.waitForInvocation({ function: 'f', key: 'k', timeoutMs: 1 })
const status: 'succeeded' | 'failed' | string = run.status
// @ts-expect-error: port is a number
await startCosLocal({ port: '9500' })
console.log(sdk, s3, status)
`
    )
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
          lib: ['ES2023', 'DOM']
        },
        files: ['typed.ts']
      })
    )
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')
    const result = await run(process.execPath, [tsc, '-p', '.'], { cwd: consumer }).catch(
      (error: { stdout: string }) => error
    )
    expect(result.stdout).toBe('')
  })

  it('runs the installed cos-local bin', async () => {
    const { stdout } = await run(process.execPath, [join(consumer, 'node_modules/cos-local/bin/cos-local.js'), 'help'])
    expect(stdout).toContain('cos-local serve')
  })
})
