/**
 * The desktop shell's bridge (sandboxed preload): one small frozen object, typed by
 * preload/contract/desktop.ts. The renderer talks to the core over the app API exactly as in a
 * browser; this only adds what a browser cannot do (native dialogs, dropped files' paths,
 * reveal in folder, dragging an object out to the OS, opening links in the user's browser).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import {
  BRIDGE_ARGUMENT,
  DESKTOP_CHANNELS as CH,
  type DesktopBridge,
  type DesktopMenuCommand
} from './contract/desktop.ts'

const args = new URLSearchParams(
  process.argv.find((arg) => arg.startsWith(BRIDGE_ARGUMENT))?.slice(BRIDGE_ARGUMENT.length) ?? ''
)

const bridge: DesktopBridge = {
  apiUrl: args.get('apiUrl') ?? '',
  token: args.get('token') ?? '',
  platform: process.platform,
  pickFiles: () => ipcRenderer.invoke(CH.pickFiles),
  pickFolder: () => ipcRenderer.invoke(CH.pickFolder),
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file)
    } catch {
      return ''
    }
  },
  reveal: (path) => ipcRenderer.invoke(CH.reveal, String(path)),
  openDataFolder: () => ipcRenderer.invoke(CH.openDataFolder),
  startDrag: (object) =>
    ipcRenderer.send(CH.startDrag, {
      bucket: String(object.bucket),
      key: String(object.key),
      versionId: object.versionId === undefined ? undefined : String(object.versionId)
    }),
  openExternal: (url) => ipcRenderer.invoke(CH.openExternal, String(url)),
  onMenuCommand: (listener) => {
    const handler = (_event: unknown, command: DesktopMenuCommand): void => listener(command)
    ipcRenderer.on(CH.menuCommand, handler)
    return () => {
      ipcRenderer.removeListener(CH.menuCommand, handler)
    }
  },
  setLanguage: (locale) => ipcRenderer.send(CH.setLanguage, String(locale))
}

contextBridge.exposeInMainWorld('cosLocal', Object.freeze(bridge))
