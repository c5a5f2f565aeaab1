/**
 * The desktop shell refers to files by path at run time (preload, UI, icons, function
 * bootstraps). The Electron binary cannot run here, so this checks after a build that each of
 * those files exists where the shell will look, and that the packaging config keeps them.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { needsBuild } from '../../../main/desktop/launch.ts'
import { shellFiles } from '../../../main/desktop/shell-files.ts'

const root = resolve(import.meta.dirname, '../../..')
const outMain = join(root, 'out', 'main')

beforeAll(() => {
  if (needsBuild(root)) {
    execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'ignore'
    })
  }
}, 180_000)

describe('desktop build output', () => {
  it('has every file the shell loads: preload, UI, icons, function bootstraps', () => {
    const files = shellFiles(outMain)
    for (const [name, file] of Object.entries(files)) {
      expect(existsSync(file), `${name}: ${relative(root, file)}`).toBe(true)
    }
    expect(relative(root, files.preload)).toBe(join('out', 'preload', 'index.cjs'))
  })

  it('the shell bundle loads the preload by the name the build writes', () => {
    const main = readFileSync(join(outMain, 'main.js'), 'utf8')
    expect(main).toContain('"index.cjs"')
    expect(main).not.toMatch(/preload[^\n]*index\.js/)
  })

  it('the sandboxed preload requires nothing but electron (a sandbox allows no other module)', () => {
    const preload = readFileSync(join(root, 'out', 'preload', 'index.cjs'), 'utf8')
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1])
    expect(required).toEqual(['electron'])
    expect(preload).toContain('exposeInMainWorld')
  })

  it('the UI page references only assets that exist', () => {
    const html = readFileSync(join(root, 'out', 'renderer', 'index.html'), 'utf8')
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((match) => match[1]!)
    expect(assets.length).toBeGreaterThan(0)
    for (const asset of assets) expect(existsSync(join(root, 'out', 'renderer', asset)), asset).toBe(true)
  })

  it('electron-builder packs out/ and unpacks the native SQLite module and the function bootstraps', () => {
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
      files: string[]
      asarUnpack: string[]
      extraResources: ({ from: string; to: string } | string)[]
      linux: { target: string[] }
      mac: { target: { target: string; arch: string[] }[] }
      win: { target: string[] }
    }
    expect(config.files).toContain('out/**')
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['out/main/runtimes/**', 'node_modules/libsql/**', 'node_modules/@libsql/**'])
    )
    // Every unpacked path under out/ names something the build writes (e.g. the hash worker).
    for (const pattern of config.asarUnpack.filter((entry) => entry.startsWith('out/'))) {
      expect(existsSync(join(root, pattern.replace(/\/\*\*$/, ''))), pattern).toBe(true)
    }
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }])
    expect(config.win.target).toEqual(['nsis'])
    expect(JSON.stringify(config.extraResources)).toContain('README.md')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string
      scripts: Record<string, string>
    }
    expect(existsSync(join(root, pkg.main))).toBe(true)
    expect(pkg.scripts.dist).toContain('electron-builder')
    expect(pkg.scripts.dist).toContain('icons')
  })
})
