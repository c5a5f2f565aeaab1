import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  chooseNodeRuntime,
  choosePython,
  findOnPath,
  isExecutableFile
} from '../../../main/functions/runtime-choice.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-runtimes-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function program(dir: string, name: string, executable = true): string {
  mkdirSync(join(root, dir), { recursive: true })
  const file = join(root, dir, name)
  writeFileSync(file, '#!/bin/sh\n')
  chmodSync(file, executable ? 0o755 : 0o644)
  return file
}

describe('finding programs on PATH (real files)', () => {
  it('returns the first executable in PATH order and skips non-executables', () => {
    program('a', 'python3', false)
    const b = program('b', 'python3')
    program('c', 'python3')
    const lookup = {
      path: [join(root, 'a'), join(root, 'b'), join(root, 'c')].join(':'),
      platform: 'linux',
      isExecutable: isExecutableFile
    }
    expect(findOnPath('python3', lookup)).toBe(b)
    expect(findOnPath('definitely-not-here', { ...lookup, path: join(root, 'a') })).toBeUndefined()
  })

  it('tries PATHEXT extensions on Windows', () => {
    const seen: string[] = []
    findOnPath('python', {
      path: 'C:\\Python312;C:\\Windows',
      platform: 'win32',
      pathExt: '.EXE;.CMD',
      isExecutable: (file) => (seen.push(file), false)
    })
    expect(seen.map((file) => file.replaceAll('\\', '/'))).toEqual([
      'C:/Python312/python.EXE',
      'C:/Python312/python.CMD',
      'C:/Windows/python.EXE',
      'C:/Windows/python.CMD'
    ])
  })

  it('also looks where Homebrew and python.org install on macOS (Finder gives apps a short PATH)', () => {
    const seen: string[] = []
    findOnPath('python3', {
      path: '/usr/bin:/bin',
      platform: 'darwin',
      isExecutable: (file) => (seen.push(file), false)
    })
    expect(seen).toContain('/opt/homebrew/bin/python3')
    expect(seen).toContain('/usr/local/bin/python3')
  })
})

describe('which runtime runs functions', () => {
  it('headless (plain Node): the running Node', () => {
    const node = chooseNodeRuntime({
      nodeOnPath: '/usr/bin/node',
      execPath: '/usr/bin/node20',
      electronVersion: undefined,
      nodeVersion: '20.20.0'
    })
    expect(node).toMatchObject({ command: '/usr/bin/node20', ownRuntime: true })
  })

  it('desktop: node from PATH when there is one, else the app itself with ELECTRON_RUN_AS_NODE', () => {
    const app = '/Applications/COS Local.app/Contents/MacOS/COS Local'
    expect(
      chooseNodeRuntime({
        nodeOnPath: '/opt/homebrew/bin/node',
        execPath: app,
        electronVersion: '41.7.1',
        nodeVersion: '24.1.0'
      })
    ).toMatchObject({
      command: '/opt/homebrew/bin/node',
      ownRuntime: false
    })
    const own = chooseNodeRuntime({
      nodeOnPath: undefined,
      execPath: app,
      electronVersion: '41.7.1',
      nodeVersion: '24.1.0'
    })
    expect(own).toMatchObject({ command: app, ownRuntime: true })
    expect(own.description).toContain('no node on PATH')
  })

  it('Python: the configured interpreter, else python3/python from PATH, else a message saying how to fix it', () => {
    const configured = program('py', 'python3.12')
    const find = (name: string): string | undefined => (name === 'python' ? '/usr/bin/python' : undefined)
    expect(choosePython({ configured, platform: 'linux', find, isExecutable: isExecutableFile })).toEqual({
      command: configured
    })
    expect(choosePython({ configured: undefined, platform: 'linux', find, isExecutable: isExecutableFile })).toEqual({
      command: '/usr/bin/python'
    })
    const missing = choosePython({
      configured: undefined,
      platform: 'linux',
      find: () => undefined,
      isExecutable: isExecutableFile
    })
    expect(missing.command).toBeUndefined()
    expect(missing.message).toMatch(/Python 3 was not found on PATH.*COS_LOCAL_PYTHON/)
    const wrong = choosePython({
      configured: join(root, 'nope'),
      platform: 'linux',
      find,
      isExecutable: isExecutableFile
    })
    expect(wrong.message).toContain('COS_LOCAL_PYTHON')
  })
})
