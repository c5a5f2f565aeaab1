/**
 * The desktop shell's bridge (window.cosLocal, typed by preload/contract/desktop.ts) where it
 * exists, and the browser's way where it does not. Components call these helpers and never
 * look at the bridge themselves, so the same UI runs in the desktop window and in a browser.
 */
import type {
  DesktopBridge,
  DesktopLocale,
  DesktopMenuCommand,
  DesktopObjectRef
} from '../../../preload/contract/desktop.ts'
import type { DiskUploadResponse } from '../../../preload/contract/disk.ts'
import { client } from './api.ts'
import { t } from './i18n/locale.svelte.ts'

/** The bridge of a current desktop shell, or undefined in a browser (or an older shell without helpers). */
export function desktopBridge(): DesktopBridge | undefined {
  const bridge = (window as { cosLocal?: Partial<DesktopBridge> }).cosLocal
  return typeof bridge?.pathForFile === 'function' ? (bridge as DesktopBridge) : undefined
}

export function isDesktop(): boolean {
  return desktopBridge() !== undefined
}

/**
 * The filesystem paths of the files and folders dropped from the OS (desktop only). Undefined in
 * a browser, or when an item has no path (e.g. dragged from another app's memory): then the
 * caller reads the drop the browser's way. Call synchronously inside the drop handler.
 */
export function droppedPaths(transfer: DataTransfer): string[] | undefined {
  const bridge = desktopBridge()
  if (!bridge || transfer.files.length === 0) return undefined
  const paths = Array.from(transfer.files, (file) => bridge.pathForFile(file))
  return paths.every((path) => path !== '') ? paths : undefined
}

/** The upload options of the transfers panel that apply to uploads from disk. */
export interface DiskUploadOptions {
  storageClass?: string
  meta?: Record<string, string>
  existing?: 'overwrite' | 'skip'
}

/** Uploads files and folders from disk (streamed by the core through the COS API, trees kept). */
export function uploadFromDisk(
  bucket: string,
  prefix: string,
  paths: string[],
  options: DiskUploadOptions = {}
): Promise<DiskUploadResponse> {
  return client().disk.upload({
    body: {
      bucket,
      prefix,
      paths,
      storageClass: options.storageClass || undefined,
      meta: options.meta && Object.keys(options.meta).length > 0 ? { ...options.meta } : undefined,
      skipExisting: options.existing === 'skip' || undefined
    }
  })
}

/**
 * Desktop: uploads a drop from its paths and resolves with a message for the user ('' when all
 * went well). Undefined when the drop has no paths (browser): use the browser upload instead.
 */
export function uploadDrop(
  transfer: DataTransfer,
  bucket: string,
  prefix: string,
  options?: DiskUploadOptions
): Promise<string> | undefined {
  const paths = droppedPaths(transfer)
  if (!paths) return undefined
  return uploadFromDisk(bucket, prefix, paths, options).then(diskUploadMessage, (error: Error) =>
    t('Upload failed: {message}', { message: error.message })
  )
}

export function diskUploadMessage(result: DiskUploadResponse): string {
  if (result.failed.length === 0) return ''
  return t('Uploaded {uploaded} file(s) from disk; {failed} failed: {message}', {
    uploaded: result.uploaded.length,
    failed: result.failed.length,
    message: result.failed[0]!.message
  })
}

/** Native pickers (desktop); undefined in a browser, where the caller uses an <input type=file>. */
export function pickPaths(kind: 'files' | 'folder'): Promise<string[]> | undefined {
  const bridge = desktopBridge()
  if (!bridge) return undefined
  return kind === 'files' ? bridge.pickFiles() : bridge.pickFolder().then((path) => (path ? [path] : []))
}

/**
 * Dragging an object row out of the window. Desktop: a native drag of the downloaded file.
 * Browser (Chromium): a `DownloadURL` drag, which Chromium saves where the user drops it.
 * Call from `dragstart`.
 */
export function dragObjectOut(
  event: DragEvent,
  object: DesktopObjectRef & { name: string; url?: string; contentType?: string }
): void {
  const bridge = desktopBridge()
  if (bridge) {
    event.preventDefault()
    bridge.startDrag({ bucket: object.bucket, key: object.key, versionId: object.versionId })
    return
  }
  if (object.url && event.dataTransfer) {
    event.dataTransfer.effectAllowed = 'copy'
    const name = object.name.replace(/:/g, '_')
    event.dataTransfer.setData(
      'DownloadURL',
      `${object.contentType ?? 'application/octet-stream'}:${name}:${object.url}`
    )
    event.dataTransfer.setData('text/uri-list', object.url)
  }
}

/** Show a file or folder of this machine in the file manager (desktop only). */
export function reveal(path: string): Promise<void> | undefined {
  return desktopBridge()?.reveal(path)
}

export function openDataFolder(): Promise<void> | undefined {
  return desktopBridge()?.openDataFolder()
}

/** Opens a link in the user's browser: through the shell's allow-list in the desktop app. */
export function openExternal(url: string): void {
  const bridge = desktopBridge()
  if (bridge) void bridge.openExternal(url)
  else window.open(url, '_blank', 'noopener,noreferrer')
}

/** Commands from the desktop app's menu (none in a browser). Returns the unsubscribe function. */
export function onMenuCommand(listener: (command: DesktopMenuCommand) => void): () => void {
  return desktopBridge()?.onMenuCommand(listener) ?? (() => {})
}

/** Tells the desktop shell the UI's language, so its menus follow it (nothing in a browser or an older shell). */
export function tellShellLanguage(locale: DesktopLocale): void {
  const bridge = desktopBridge()
  if (typeof bridge?.setLanguage === 'function') bridge.setLanguage(locale)
}
