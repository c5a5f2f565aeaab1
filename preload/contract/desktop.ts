/**
 * The desktop shell's bridge: `window.cosLocal`, exposed by preload/index.ts as one frozen
 * object. It carries only what a browser cannot do (architecture §1); everything else goes
 * over the app API exactly as in a browser. Absent in a browser: the renderer checks first.
 */

/** Commands the application menu sends to the page (the page owns these views). */
export type DesktopMenuCommand = 'show-sdk-config' | 'import-done' | 'export-done'

export interface DesktopObjectRef {
  bucket: string
  key: string
  versionId?: string
}

export interface DesktopBridge {
  /** The app API's origin (http://127.0.0.1:PORT) and its token. */
  readonly apiUrl: string
  readonly token: string
  /** process.platform of the shell (darwin, win32, linux). */
  readonly platform: string
  /** Native open dialog for files; absolute paths ([] when cancelled). */
  pickFiles(): Promise<string[]>
  /** Native open dialog for one folder; its absolute path (undefined when cancelled). */
  pickFolder(): Promise<string | undefined>
  /** The filesystem path of a File dropped from the OS ('' for files not from disk). */
  pathForFile(file: File): string
  /** Show a file or folder in Finder / Explorer / the file manager. */
  reveal(path: string): Promise<void>
  /** Open the data folder in the file manager. */
  openDataFolder(): Promise<void>
  /**
   * Drag an object out to the OS: call from the row's `dragstart` (after preventDefault); the shell
   * downloads it to a temp file and starts a native drag of that file.
   */
  startDrag(object: DesktopObjectRef): void
  /** Open an allow-listed https link in the user's browser; false when the link is not allowed. */
  openExternal(url: string): Promise<boolean>
  /** Menu commands for the page; returns an unsubscribe function. */
  onMenuCommand(listener: (command: DesktopMenuCommand) => void): () => void
  /** The UI's language changed (or the page loaded): the shell rebuilds its menus in it. */
  setLanguage(locale: DesktopLocale): void
}

/** The UI languages the shell's menus come in. */
export type DesktopLocale = 'en' | 'zh-CN'

/** IPC channel names between preload/index.ts and main/electron/ipc.ts. */
export const DESKTOP_CHANNELS = {
  pickFiles: 'cos-local:pick-files',
  pickFolder: 'cos-local:pick-folder',
  reveal: 'cos-local:reveal',
  openDataFolder: 'cos-local:open-data-folder',
  startDrag: 'cos-local:start-drag',
  openExternal: 'cos-local:open-external',
  menuCommand: 'cos-local:menu-command',
  setLanguage: 'cos-local:set-language'
} as const

/** The argument the shell passes to the renderer process (`--cos-local=apiUrl=…&token=…`). */
export const BRIDGE_ARGUMENT = '--cos-local='
