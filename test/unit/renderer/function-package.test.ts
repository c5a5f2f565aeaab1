import { strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import {
  checkZip,
  MAX_FOLDER_BYTES,
  MAX_ZIP_BYTES,
  PackageProblem,
  planFolder,
  runtimeFor,
  toBase64,
  zipFolder
} from '../../../renderer/src/lib/function-package.ts'

const pick = (paths: string[], size = 10) => paths.map((path) => ({ path, size }))

describe('a function folder picked in the browser', () => {
  it('drops the picked folder’s own name, .git and __pycache__, and finds the runtime', () => {
    const plan = planFolder(
      pick(['fn/index.js', 'fn/lib/a.js', 'fn/.git/HEAD', 'fn/lib/__pycache__/x.pyc', 'fn/.DS_Store']),
      'index.main_handler'
    )
    expect(plan.files.map((file) => file.path)).toEqual(['index.js', 'lib/a.js'])
    expect(plan.files.map((file) => file.source)).toEqual([0, 1])
    expect(plan.runtime).toBe('nodejs')
    expect(plan.totalBytes).toBe(20)
    expect(planFolder(pick(['fn/index.py']), 'index.main_handler').runtime).toBe('python3')
    expect(planFolder(pick(['fn/app.mjs']), 'app.handler').runtime).toBe('nodejs')
  })

  it('says which handler file is missing and what is there', () => {
    expect(() => planFolder(pick(['fn/main.js', 'fn/lib/x.js']), 'index.main_handler')).toThrow(
      'The code has no index.js / index.mjs / index.cjs / index.py for the handler index.main_handler (top-level files: main.js).'
    )
    // A chosen runtime is checked against the files.
    expect(() => planFolder(pick(['fn/index.js']), 'index.main_handler', 'python3')).toThrow(/no index.py/)
    expect(() => planFolder(pick(['fn/.git/HEAD']), 'index.main_handler')).toThrow('The folder is empty.')
    expect(() => runtimeFor(['index.js'], 'index')).toThrow(/file.function/)
  })

  it('refuses folders over the caps with the CLI as the way out', () => {
    const big = planFolder.bind(null, [{ path: 'fn/index.js', size: MAX_FOLDER_BYTES + 1 }], 'index.main_handler')
    expect(big).toThrow(PackageProblem)
    expect(big).toThrow(/--dir DIR/)
  })

  it('zips the planned files under their paths', () => {
    const plan = planFolder(pick(['fn/index.js', 'fn/lib/a.js']), 'index.main_handler')
    const zip = zipFolder(plan, [strToU8('exports.main_handler = 1'), strToU8('// a')])
    const files = unzipSync(zip)
    expect(Object.keys(files).sort()).toEqual(['index.js', 'lib/a.js'])
    expect(new TextDecoder().decode(files['lib/a.js'])).toBe('// a')
    expect(Buffer.from(toBase64(zip), 'base64').equals(Buffer.from(zip))).toBe(true)
  })
})

describe('a function zip picked in the browser', () => {
  it('finds the handler at the top or inside a single top folder, without inflating', () => {
    expect(checkZip('a.zip', zipSync({ 'index.py': strToU8('') }), 'index.main_handler')).toBe('python3')
    expect(
      checkZip('a.zip', zipSync({ 'pkg/index.js': strToU8(''), 'pkg/lib/x.js': strToU8('') }), 'index.main_handler')
    ).toBe('nodejs')
    expect(() => checkZip('a.zip', zipSync({ 'a/index.js': strToU8(''), 'b/x.js': strToU8('') }), 'index.x')).toThrow(
      /no index.js/
    )
  })

  it('says when the file is not a zip or too big', () => {
    expect(() => checkZip('notes.zip', strToU8('plain text'), 'index.main_handler')).toThrow(
      /^Cannot read notes.zip as a zip/
    )
    expect(() => checkZip('big.zip', new Uint8Array(MAX_ZIP_BYTES + 1), 'index.main_handler')).toThrow(/--zip FILE/)
  })

  it('encodes megabytes to base64 without overflowing the stack', () => {
    const bytes = new Uint8Array(1024 * 1024).map((_, index) => index % 251)
    expect(Buffer.from(toBase64(bytes), 'base64').equals(Buffer.from(bytes))).toBe(true)
  })
})
