/**
 * Online code editing through the app API (real server, real child processes): list a
 * function's files (node_modules skipped), read one, save one — the next invocation runs the
 * new code — and refuse paths that leave the code folder and binary files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { typedAppClient } from '../../helpers/app-api-client.ts'

let app: App
let dataDir: string
let folder: string
const api = typedAppClient(() => app)
const handler = (answer: string) => `exports.main_handler = async () => ({ answer: ${JSON.stringify(answer)} })\n`

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-editor-'))
  folder = mkdtempSync(join(tmpdir(), 'cos-local-editor-code-'))
  writeFileSync(join(folder, 'index.js'), handler('folder-first'))
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
})

afterAll(async () => {
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(folder, { recursive: true, force: true })
})

it('lists, reads and saves a function’s code; the next invocation runs the saved code', async () => {
  await api.functions.create({
    body: {
      name: 'edited',
      code: { type: 'files', files: { 'index.js': handler('first'), 'lib/util.js': '// util\n' } }
    }
  })
  const first = await api.functions.invoke({ params: { name: 'edited' }, body: {} })
  expect(first.message).toBe('{"answer":"first"}')

  const list = await api.functions.codeFiles({ params: { name: 'edited' } })
  expect(list.files.map((file) => file.path)).toEqual(['index.js', 'lib/util.js'])
  expect(list.files[0]!.size).toBe(Buffer.byteLength(handler('first')))
  expect(list.truncated).toBe(false)

  const read = await api.functions.readCode({ params: { name: 'edited' }, query: { path: 'index.js' } })
  expect(read.content).toBe(handler('first'))

  const before = await api.functions.get({ params: { name: 'edited' } })
  const saved = await api.functions.writeCode({
    params: { name: 'edited' },
    body: { path: 'index.js', content: handler('second') }
  })
  expect(saved.revision).not.toBe(before.revision)
  const second = await api.functions.invoke({ params: { name: 'edited' }, body: {} })
  expect(second.message).toBe('{"answer":"second"}')
  expect(second.logs.some((line) => line.text.includes('[cos-local] code reloaded: index.js edited online'))).toBe(true)

  // A new file in a new folder.
  await api.functions.writeCode({ params: { name: 'edited' }, body: { path: 'lib/new/more.js', content: 'x\n' } })
  const after = await api.functions.codeFiles({ params: { name: 'edited' } })
  expect(after.files.map((file) => file.path)).toContain('lib/new/more.js')
})

it('refuses paths outside the code folder, binary files and node_modules', async () => {
  for (const path of ['../escape.js', '/etc/passwd', 'lib/../../escape.js', 'a\0b.js', 'node_modules/x.js']) {
    await expect(
      api.functions.writeCode({ params: { name: 'edited' }, body: { path, content: 'boom' } })
    ).rejects.toThrow(/Invalid code file path/)
    await expect(api.functions.readCode({ params: { name: 'edited' }, query: { path } })).rejects.toThrow(
      /Invalid code file path/
    )
  }
  expect(() => readFileSync(join(dataDir, 'functions', 'escape.js'))).toThrow()

  const root = (await api.functions.codeFiles({ params: { name: 'edited' } })).root
  writeFileSync(join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x00, 0xff, 0x10]))
  mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true })
  writeFileSync(join(root, 'node_modules', 'dep', 'index.js'), '// dep\n')
  await expect(api.functions.readCode({ params: { name: 'edited' }, query: { path: 'image.bin' } })).rejects.toThrow(
    /binary file/
  )
  const list = await api.functions.codeFiles({ params: { name: 'edited' } })
  expect(list.files.some((file) => file.path.startsWith('node_modules'))).toBe(false)
  await expect(api.functions.readCode({ params: { name: 'edited' }, query: { path: 'missing.js' } })).rejects.toThrow(
    /No code file/
  )
})

it('edits a folder function in its source folder and reloads it', async () => {
  await api.functions.create({ body: { name: 'folder', code: { type: 'dir', path: folder } } })
  expect((await api.functions.codeFiles({ params: { name: 'folder' } })).root).toBe(folder)
  await api.functions.writeCode({
    params: { name: 'folder' },
    body: { path: 'index.js', content: handler('folder-2') }
  })
  expect(readFileSync(join(folder, 'index.js'), 'utf8')).toBe(handler('folder-2'))
  const result = await api.functions.invoke({ params: { name: 'folder' }, body: {} })
  expect(result.message).toBe('{"answer":"folder-2"}')
})

it('creates, renames and deletes files; each change reloads the function', async () => {
  const name = { name: 'edited' }
  const created = await api.functions.createCode({
    params: name,
    body: { path: 'lib/greet.js', content: 'module.exports = () => "created"\n' }
  })
  expect(created).toMatchObject({ path: 'lib/greet.js', size: 33 })
  await expect(api.functions.createCode({ params: name, body: { path: 'lib/greet.js', content: '' } })).rejects.toThrow(
    /already exists/
  )
  await api.functions.writeCode({
    params: name,
    body: { path: 'index.js', content: 'exports.main_handler = async () => require("./lib/greet.js")()\n' }
  })
  expect((await api.functions.invoke({ params: name, body: {} })).message).toBe('"created"')

  // Rename into a new folder: the old folder's emptied subfolder goes, the handler's require breaks.
  const moved = await api.functions.moveCode({ params: name, body: { from: 'lib/greet.js', to: 'src/hello.js' } })
  expect(moved.path).toBe('src/hello.js')
  const files = (await api.functions.codeFiles({ params: name })).files.map((file) => file.path)
  expect(files).toContain('src/hello.js')
  expect(files).not.toContain('lib/greet.js')
  const broken = await api.functions.invoke({ params: name, body: {} })
  expect(broken.status).toBe('failed')
  expect(broken.logs.some((line) => line.text.includes('lib/greet.js renamed to src/hello.js online'))).toBe(true)
  await expect(
    api.functions.moveCode({ params: name, body: { from: 'src/hello.js', to: 'lib/util.js' } })
  ).rejects.toThrow(/already exists/)
  await expect(api.functions.moveCode({ params: name, body: { from: 'nope.js', to: 'x.js' } })).rejects.toThrow(
    /No code file/
  )

  const deleted = await api.functions.deleteCode({ params: name, query: { path: 'src/hello.js' } })
  expect(deleted.deleted).toBe('src/hello.js')
  const root = (await api.functions.codeFiles({ params: name })).root
  expect(() => readFileSync(join(root, 'src', 'hello.js'))).toThrow()

  // The handler's only file cannot be deleted or renamed away; bad names are refused.
  await expect(api.functions.deleteCode({ params: name, query: { path: 'index.js' } })).rejects.toThrow(
    /holds the handler index.main_handler/
  )
  await expect(api.functions.moveCode({ params: name, body: { from: 'index.js', to: 'main.js' } })).rejects.toThrow(
    /holds the handler/
  )
  for (const path of ['../up.js', '/abs.js', 'C:/x.js', 'a//b.js', 'dir/', './x.js', 'tab\there.js']) {
    await expect(api.functions.createCode({ params: name, body: { path } })).rejects.toThrow(/Invalid code file path/)
    await expect(api.functions.moveCode({ params: name, body: { from: 'lib/util.js', to: path } })).rejects.toThrow(
      /Invalid code file path/
    )
  }
})

it('hot-reloads a folder function after a file is created, renamed and deleted there', async () => {
  const name = { name: 'folder' }
  await api.functions.createCode({
    params: name,
    body: { path: 'answer.js', content: 'module.exports = "new-file"\n' }
  })
  await api.functions.writeCode({
    params: name,
    body: { path: 'index.js', content: 'exports.main_handler = async () => require("./answer.js")\n' }
  })
  expect((await api.functions.invoke({ params: name, body: {} })).message).toBe('"new-file"')
  await api.functions.moveCode({ params: name, body: { from: 'answer.js', to: 'lib/answer.js' } })
  expect(readFileSync(join(folder, 'lib', 'answer.js'), 'utf8')).toContain('new-file')
  await api.functions.deleteCode({ params: name, query: { path: 'lib/answer.js' } })
  expect(() => readFileSync(join(folder, 'lib', 'answer.js'))).toThrow()
  const result = await api.functions.invoke({ params: name, body: {} })
  expect(result.status).toBe('failed')
  expect(result.logs.some((line) => line.text.includes('code reloaded from'))).toBe(true)
})

it('takes a folder with only index.py as a Python function', async () => {
  const py = mkdtempSync(join(tmpdir(), 'cos-local-editor-py-'))
  try {
    writeFileSync(join(py, 'index.py'), 'def main_handler(event, context):\n    return "from python"\n')
    const created = await api.functions.create({ body: { name: 'pyfolder', code: { type: 'dir', path: py } } })
    expect(created.runtime).toBe('python3')
  } finally {
    await api.functions.remove({ params: { name: 'pyfolder' } })
    rmSync(py, { recursive: true, force: true })
  }
})
