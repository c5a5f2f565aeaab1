/** The main window: secure options, CSP, navigation and permission rules, remembered bounds. */
import { BrowserWindow, nativeTheme, screen, session, shell } from 'electron'
import type { ConnectionInfo } from '../../preload/contract/connections.ts'
import type { DesktopState } from '../desktop/desktop-state.ts'
import { decideNavigation, decideWindowOpen, isAppUrl, permissionAllowed } from '../desktop/navigation.ts'
import { contentSecurityPolicy } from '../desktop/security.ts'
import { clampToDisplays } from '../desktop/window-state.ts'
import { mainWindowOptions } from '../desktop/window-options.ts'
import type { ShellFiles } from '../desktop/shell-files.ts'

export interface WindowTarget {
  uiUrl: string
  appApiUrl: string
  cosEndpoint: string
  token: string
  /** The saved connections, read for each page load (the CSP names their endpoints). */
  savedConnections(): ConnectionInfo[]
}

/** Session-wide rules: CSP on the app's responses, every permission denied but clipboard writes. */
export function secureSession(target: WindowTarget): void {
  // No URL filter (match patterns and ports do not mix well): the app's own responses are picked here.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, target.appApiUrl)) return callback({})
    const csp = contentSecurityPolicy(target.appApiUrl, target.cosEndpoint, target.savedConnections())
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl, target.appApiUrl))
  })
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin, target.appApiUrl)
  )
}

function guardNavigation(window: BrowserWindow, appUrl: string): void {
  const contents = window.webContents
  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url) === 'open-external') void shell.openExternal(url)
    return { action: 'deny' }
  })
  const onNavigate = (event: { preventDefault(): void }, url: string): void => {
    const decision = decideNavigation(url, appUrl)
    if (decision === 'allow') return
    event.preventDefault()
    if (decision === 'open-external') void shell.openExternal(url)
  }
  contents.on('will-navigate', onNavigate)
  contents.on('will-redirect', onNavigate)
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export function createMainWindow(target: WindowTarget, files: ShellFiles, state: DesktopState): BrowserWindow {
  const saved = state.window
  const bounds = clampToDisplays(
    saved.bounds,
    [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((display) => display.workArea)
  )
  const bridge = new URLSearchParams({ apiUrl: target.appApiUrl, token: target.token })
  const options = mainWindowOptions({
    bounds,
    preload: files.preload,
    darkMode: nativeTheme.shouldUseDarkColors,
    icon: process.platform === 'darwin' ? undefined : files.windowIcon
  })
  const window = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, additionalArguments: [`--cos-local=${bridge.toString()}`] }
  })
  if (saved.maximized) window.maximize()
  guardNavigation(window, target.appApiUrl)
  window.once('ready-to-show', () => window.show())

  const current = (): { bounds: ReturnType<BrowserWindow['getNormalBounds']>; maximized: boolean } => ({
    bounds: window.getNormalBounds(),
    maximized: window.isMaximized()
  })
  for (const name of ['resize', 'move', 'maximize', 'unmaximize'] as const) {
    window.on(name as 'resize', () => state.saveWindowSoon(current))
  }
  window.on('close', () => state.saveWindow(current()))
  void window.loadURL(target.uiUrl)
  return window
}

export function focus(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}
