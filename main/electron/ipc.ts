/** The preload bridge's native helpers (preload/contract/desktop.ts), answered in the main process. */
import { BrowserWindow, dialog, ipcMain, nativeImage, shell, type IpcMainEvent } from 'electron'
import { rmSync } from 'node:fs'
import { dirname, isAbsolute } from 'node:path'
import { DESKTOP_CHANNELS as CH, type DesktopObjectRef } from '../../preload/contract/desktop.ts'
import { isAllowedExternal } from '../desktop/navigation.ts'
import type { CosTarget } from '../disk/cos-http.ts'
import { downloadToTemp } from '../disk/download-object.ts'

export interface IpcDeps {
  dataDir: string
  cos: () => CosTarget
  dragIcon: string
  /** Only the app's own page may call the bridge. */
  isAppUrl(url: string): boolean
  /** The page's language (unchecked: the caller validates it). */
  onLanguage(locale: unknown): void
}

function fromApp(deps: IpcDeps, event: { senderFrame: { url: string } | null }): boolean {
  return Boolean(event.senderFrame && deps.isAppUrl(event.senderFrame.url))
}

function isObjectRef(value: unknown): value is DesktopObjectRef {
  const ref = value as DesktopObjectRef
  return (
    typeof ref === 'object' &&
    ref !== null &&
    typeof ref.bucket === 'string' &&
    typeof ref.key === 'string' &&
    ref.key.length > 0 &&
    (ref.versionId === undefined || typeof ref.versionId === 'string')
  )
}

/** Registers the bridge's handlers; the returned function removes the drag-out temp files (at quit). */
export function registerIpc(deps: IpcDeps): () => void {
  const dragFiles = new Set<string>()
  const windowOf = (event: { sender: Electron.WebContents }): BrowserWindow | undefined =>
    BrowserWindow.fromWebContents(event.sender) ?? undefined

  ipcMain.handle(CH.pickFiles, async (event) => {
    if (!fromApp(deps, event)) return []
    const window = windowOf(event)
    const options: Electron.OpenDialogOptions = { properties: ['openFile', 'multiSelections'] }
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
    return result.canceled ? [] : result.filePaths
  })
  ipcMain.handle(CH.pickFolder, async (event) => {
    if (!fromApp(deps, event)) return undefined
    const window = windowOf(event)
    const options: Electron.OpenDialogOptions = { properties: ['openDirectory'] }
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
    return result.canceled ? undefined : result.filePaths[0]
  })
  ipcMain.handle(CH.reveal, (event, path: unknown) => {
    if (fromApp(deps, event) && typeof path === 'string' && isAbsolute(path)) shell.showItemInFolder(path)
  })
  ipcMain.handle(CH.openDataFolder, async (event) => {
    if (fromApp(deps, event)) await shell.openPath(deps.dataDir)
  })
  ipcMain.handle(CH.openExternal, async (event, url: unknown) => {
    if (!fromApp(deps, event) || typeof url !== 'string' || !isAllowedExternal(url)) return false
    await shell.openExternal(url)
    return true
  })
  ipcMain.on(CH.setLanguage, (event: IpcMainEvent, locale: unknown) => {
    if (fromApp(deps, event)) deps.onLanguage(locale)
  })
  ipcMain.on(CH.startDrag, (event: IpcMainEvent, ref: unknown) => {
    if (!fromApp(deps, event) || !isObjectRef(ref)) return
    // The OS drag needs a file on disk: download first, then hand the file to the OS.
    downloadToTemp(deps.cos(), ref).then(
      (file) => {
        dragFiles.add(dirname(file))
        if (!event.sender.isDestroyed())
          event.sender.startDrag({ file, icon: nativeImage.createFromPath(deps.dragIcon) })
      },
      (error: unknown) => console.error('[drag-out]', ref.bucket, ref.key, error)
    )
  })
  return () => {
    for (const dir of dragFiles) rmSync(dir, { recursive: true, force: true })
    dragFiles.clear()
  }
}
