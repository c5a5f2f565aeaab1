/**
 * Puts a function's code into `<data>/functions/<name>/`: from a folder, a zip (our own
 * reader), a template or inline files. The new code is written to a temporary folder and
 * swapped in by rename, so a failed install leaves the old code untouched.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { randomBytes } from 'node:crypto'
import { CosError } from '../core/cos/errors.ts'
import { findTemplate } from './templates.ts'
import { readZip, ZipError } from './zip-reader.ts'

export type CodeSource =
  | { type: 'dir'; path: string }
  | { type: 'zip'; path: string }
  | { type: 'zipBase64'; data: string }
  | { type: 'template'; template: string }
  | { type: 'files'; files: Record<string, string> }

const SKIPPED = new Set(['.git', '.DS_Store', '__pycache__'])

export function functionsRoot(dataDir: string): string {
  return join(dataDir, 'functions')
}

/**
 * Install code for `name`; returns the folder. `handlerFile` (e.g. `index`) and `exts`
 * check that the handler's file is there; a zip holding one top folder is unwrapped.
 */
export function installCode(
  dataDir: string,
  name: string,
  source: CodeSource,
  handlerFile: string,
  exts: string[]
): string {
  const root = functionsRoot(dataDir)
  mkdirSync(root, { recursive: true })
  // A package.json without "type" stops Node from applying a parent project's
  // "type": "module" to the functions' .js files (in the cloud they are CommonJS).
  const marker = join(root, 'package.json')
  if (!existsSync(marker)) writeFileSync(marker, '{ "private": true }\n')
  const temp = join(root, `.tmp-${name}-${randomBytes(4).toString('hex')}`)
  try {
    mkdirSync(temp)
    writeSource(temp, source)
    const codeDir = unwrapSingleFolder(temp, handlerFile, exts)
    if (!exts.some((ext) => existsSync(join(codeDir, handlerFile + ext)))) {
      throw new CosError(
        'InvalidParameterValue',
        `The code has no ${exts.map((ext) => handlerFile + ext).join(' or ')} for the handler (files: ${listTop(codeDir)})`
      )
    }
    const target = join(root, name)
    const old = join(root, `.old-${name}-${randomBytes(4).toString('hex')}`)
    if (existsSync(target)) renameSync(target, old)
    renameSync(codeDir, target)
    rmSync(old, { recursive: true, force: true })
    return target
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

/**
 * The runtime of a folder's code when none was given: Python when the handler's file is there
 * only as `.py` (e.g. `index.py` for `index.main_handler`), else undefined (Node.js, the default).
 */
export function folderRuntime(dir: string, handlerFile: string): 'python3' | undefined {
  const has = (ext: string): boolean => existsSync(join(resolve(dir), handlerFile + ext))
  return !['.js', '.cjs', '.mjs'].some(has) && has('.py') ? 'python3' : undefined
}

export function removeCode(dataDir: string, name: string): void {
  rmSync(join(functionsRoot(dataDir), name), { recursive: true, force: true })
}

function writeSource(target: string, source: CodeSource): void {
  switch (source.type) {
    case 'dir': {
      const from = resolve(source.path)
      if (!existsSync(from) || !statSync(from).isDirectory())
        throw new CosError('InvalidParameterValue', `No such folder: ${source.path}`)
      cpSync(from, target, {
        recursive: true,
        filter: (path) => !path.split(sep).some((part) => SKIPPED.has(part)) || path === from
      })
      return
    }
    case 'zip':
      if (!existsSync(source.path)) throw new CosError('InvalidParameterValue', `No such zip file: ${source.path}`)
      extract(readFileSync(source.path), target)
      return
    case 'zipBase64':
      extract(Buffer.from(source.data, 'base64'), target)
      return
    case 'template': {
      const template = findTemplate(source.template)
      if (!template) throw new CosError('InvalidParameterValue', `Unknown template ${JSON.stringify(source.template)}`)
      writeFiles(target, template.files)
      return
    }
    case 'files':
      writeFiles(target, source.files)
  }
}

function extract(zip: Buffer, target: string): void {
  let entries
  try {
    entries = readZip(zip)
  } catch (error) {
    if (error instanceof ZipError) throw new CosError('InvalidParameterValue', `Cannot read the zip: ${error.message}`)
    throw error
  }
  for (const entry of entries) {
    const path = join(target, entry.path)
    if (entry.path.endsWith('/')) mkdirSync(path, { recursive: true })
    else {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, entry.data)
    }
  }
}

function writeFiles(target: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const normalized = name.replace(/\\/g, '/')
    if (normalized.startsWith('/') || normalized.split('/').includes('..') || normalized === '') {
      throw new CosError('InvalidParameterValue', `Unsafe file name ${JSON.stringify(name)}`)
    }
    const path = join(target, normalized)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
  }
}

function unwrapSingleFolder(dir: string, handlerFile: string, exts: string[]): string {
  if (exts.some((ext) => existsSync(join(dir, handlerFile + ext)))) return dir
  const entries = readdirSync(dir).filter((entry) => !entry.startsWith('__MACOSX'))
  if (entries.length === 1 && statSync(join(dir, entries[0]!)).isDirectory()) return join(dir, entries[0]!)
  return dir
}

function listTop(dir: string): string {
  const entries = readdirSync(dir)
  return entries.length ? entries.slice(0, 10).join(', ') : 'none'
}
