/**
 * A function's code picked in the browser (a folder through `<input webkitdirectory>`, or a zip)
 * turned into the zip the app API takes (`code: { type: 'zipBase64' }`), checked first so the
 * user reads what is wrong before anything is sent: the handler's file must be there, sizes
 * stay under the caps. Pure (no DOM, no Svelte): problems are English messages with
 * `{placeholders}` that the dialog passes through `t()`.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate'

export type PackageRuntime = 'nodejs' | 'python3'

/** A zip sent to the app API, base64 in JSON, must stay under its 64 MiB body limit. */
export const MAX_ZIP_BYTES = 45 * 1024 * 1024
/** A folder is zipped in the page; past this it is a job for the CLI (`--dir`). */
export const MAX_FOLDER_BYTES = 100 * 1024 * 1024
export const MAX_FOLDER_FILES = 5000

const EXTENSIONS: Record<PackageRuntime, readonly string[]> = {
  nodejs: ['.js', '.mjs', '.cjs'],
  python3: ['.py']
}
const SKIPPED = new Set(['.git', '.DS_Store', '__pycache__', '__MACOSX'])

/** Every message a check can give (the zh-CN dictionary covers each one). */
export const PACKAGE_MESSAGES = {
  emptyFolder: 'The folder is empty.',
  noHandler: 'The code has no {files} for the handler {handler} (top-level files: {found}).',
  badHandler: 'The handler must look like file.function, e.g. index.main_handler.',
  tooBigZip:
    'The zip is {size}; the UI uploads zips up to {max} (use the CLI: cos-local function create NAME --zip FILE).',
  tooBigFolder:
    'The folder holds {size}; the UI uploads folders up to {max} (use the CLI: cos-local function create NAME --dir DIR).',
  tooManyFiles: 'The folder holds {count} files; the UI uploads up to {max} (use the CLI).',
  notZip: 'Cannot read {name} as a zip: {reason}'
} as const

export class PackageProblem extends Error {
  constructor(
    readonly text: string,
    readonly values: Record<string, string | number> = {}
  ) {
    super(text.replace(/\{(\w+)\}/g, (whole: string, key: string) => String(values[key] ?? whole)))
  }
}

export interface PickedFile {
  /** `webkitRelativePath` for a folder pick: `picked-folder/sub/file.js`. */
  path: string
  size: number
}

export interface PackagePlan {
  /** Paths inside the function's code folder (the picked folder's own name removed). */
  files: { path: string; source: number }[]
  runtime: PackageRuntime
  totalBytes: number
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

function handlerFile(handler: string): string {
  const cut = handler.lastIndexOf('.')
  if (cut <= 0 || cut === handler.length - 1) throw new PackageProblem(PACKAGE_MESSAGES.badHandler)
  return handler.slice(0, cut)
}

/**
 * The runtime whose handler file is among `paths` (the given one when it is), or a problem
 * naming the files looked for and those found.
 */
export function runtimeFor(paths: readonly string[], handler: string, wanted?: PackageRuntime): PackageRuntime {
  const file = handlerFile(handler)
  const present = new Set(paths)
  const has = (runtime: PackageRuntime): boolean => EXTENSIONS[runtime].some((ext) => present.has(file + ext))
  const order: PackageRuntime[] = wanted ? [wanted] : ['nodejs', 'python3']
  const found = order.find(has)
  if (found) return found
  const looked = order.flatMap((runtime) => EXTENSIONS[runtime].map((ext) => file + ext))
  const top = paths.filter((path) => !path.includes('/')).slice(0, 8)
  throw new PackageProblem(PACKAGE_MESSAGES.noHandler, {
    files: looked.join(' / '),
    handler,
    found: top.length ? top.join(', ') : '—'
  })
}

function skipped(path: string): boolean {
  return path.split('/').some((part) => SKIPPED.has(part))
}

/** Checks a folder pick and says what will be uploaded. */
export function planFolder(picked: readonly PickedFile[], handler: string, wanted?: PackageRuntime): PackagePlan {
  const files: PackagePlan['files'] = []
  let totalBytes = 0
  picked.forEach((file, source) => {
    const parts = file.path.replace(/\\/g, '/').split('/').filter(Boolean)
    // webkitRelativePath starts with the picked folder's name; the code is what is inside it.
    const path = (parts.length > 1 ? parts.slice(1) : parts).join('/')
    if (!path || skipped(path) || parts.includes('..')) return
    files.push({ path, source })
    totalBytes += file.size
  })
  if (files.length === 0) throw new PackageProblem(PACKAGE_MESSAGES.emptyFolder)
  if (files.length > MAX_FOLDER_FILES)
    throw new PackageProblem(PACKAGE_MESSAGES.tooManyFiles, { count: files.length, max: MAX_FOLDER_FILES })
  if (totalBytes > MAX_FOLDER_BYTES)
    throw new PackageProblem(PACKAGE_MESSAGES.tooBigFolder, {
      size: formatSize(totalBytes),
      max: formatSize(MAX_FOLDER_BYTES)
    })
  const runtime = runtimeFor(
    files.map((file) => file.path),
    handler,
    wanted
  )
  return { files, runtime, totalBytes }
}

/** The planned folder as one zip (its contents read by the caller, in plan order). */
export function zipFolder(plan: PackagePlan, contents: readonly Uint8Array[]): Uint8Array {
  const tree: Zippable = {}
  plan.files.forEach((file, index) => {
    tree[file.path] = [contents[index]!, { level: /\.(zip|png|jpe?g|gif|gz|whl)$/i.test(file.path) ? 0 : 6 }]
  })
  const zip = zipSync(tree)
  checkZipSize(zip.length)
  return zip
}

export function checkZipSize(bytes: number): void {
  if (bytes > MAX_ZIP_BYTES)
    throw new PackageProblem(PACKAGE_MESSAGES.tooBigZip, { size: formatSize(bytes), max: formatSize(MAX_ZIP_BYTES) })
}

/**
 * Checks a zip without inflating it: its entry names, with a single top folder unwrapped as the
 * server does, must hold the handler's file. Returns the runtime.
 */
export function checkZip(name: string, zip: Uint8Array, handler: string, wanted?: PackageRuntime): PackageRuntime {
  checkZipSize(zip.length)
  const names: string[] = []
  try {
    unzipSync(zip, {
      filter: (file) => {
        names.push(file.name.replace(/\\/g, '/'))
        return false
      }
    })
  } catch (error) {
    throw new PackageProblem(PACKAGE_MESSAGES.notZip, { name, reason: (error as Error).message })
  }
  const files = names.filter((path) => !path.endsWith('/') && !skipped(path))
  try {
    return runtimeFor(files, handler, wanted)
  } catch (problem) {
    const tops = new Set(files.map((path) => path.split('/')[0]))
    if (tops.size !== 1 || files.every((path) => !path.includes('/'))) throw problem
    const [top] = tops
    return runtimeFor(
      files.map((path) => path.slice(top!.length + 1)),
      handler,
      wanted
    )
  }
}

/** Base64 of bytes: the engine's own encoder where it has one (Chromium 140+), else in chunks. */
export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64
  if (typeof native === 'function') return native.call(bytes)
  const chunks: string[] = []
  for (let at = 0; at < bytes.length; at += 0x8000) {
    chunks.push(String.fromCharCode(...bytes.subarray(at, at + 0x8000)))
  }
  return btoa(chunks.join(''))
}
