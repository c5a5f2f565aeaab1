/**
 * The desktop shell: the same core as `cos-local serve` (createApp), shown in one locked-down
 * window. Thin glue: every decision lives in main/desktop/ (pure, unit-tested); main/electron/
 * is the only folder that imports 'electron'.
 */
import type { BrowserWindow } from 'electron'
import { app, clipboard, dialog, shell } from 'electron'
import { rmSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { DESKTOP_CHANNELS, type DesktopMenuCommand } from '../../preload/contract/desktop.ts'
import type { ExportResponse, ImportResponse } from '../../preload/contract/functions.ts'
import { createApp, type App } from '../app.ts'
import { DesktopState } from '../desktop/desktop-state.ts'
import { aboutText, buildMenuTemplate, menuRebuild, type MenuLocale } from '../desktop/menu.ts'
import { isAppUrl } from '../desktop/navigation.ts'
import { PREFERRED_PORTS, startOnPorts } from '../desktop/ports.ts'
import { shellFiles } from '../desktop/shell-files.ts'
import { alreadyRunningMessage, answers, runningInstance } from '../desktop/instance-guard.ts'
import { dataDirArgument } from '../desktop/launch.ts'
import { defaultDataDir, instanceFile, packageRoot } from '../paths.ts'
import { ensureDataDir, writeSecretFile } from '../store/private-files.ts'
import { registerIpc } from './ipc.ts'
import { installMenu } from './menu.ts'
import { createMainWindow, focus, secureSession } from './window.ts'

const files = shellFiles(import.meta.dirname)
// Tests (and people running two profiles) isolate everything, the single-instance lock included.
if (process.env.COS_LOCAL_USER_DATA) app.setPath('userData', process.env.COS_LOCAL_USER_DATA)

let core: App | undefined
let mainWindow: BrowserWindow | undefined
let state: DesktopState | undefined
let removeDragFiles: (() => void) | undefined

function envPort(name: string, fallback: number): number {
  const value = process.env[name]
  return value !== undefined && /^\d+$/.test(value) && Number(value) <= 65535 ? Number(value) : fallback
}

function send(command: DesktopMenuCommand): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(DESKTOP_CHANNELS.menuCommand, command)
}

async function appApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(core!.appApiUrl + path, {
    method,
    headers: { authorization: `Bearer ${core!.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const payload = (await response.json()) as T & { error?: { message: string } }
  if (!response.ok) throw new Error(payload.error?.message ?? `HTTP ${response.status}`)
  return payload
}

async function importConfig(): Promise<void> {
  const result = await dialog.showOpenDialog(mainWindow!, {
    properties: ['openFile'],
    filters: [{ name: 'serverless.yml / template.yaml', extensions: ['yml', 'yaml'] }]
  })
  const file = result.filePaths[0]
  if (result.canceled || !file) return
  const imported = await appApi<ImportResponse>('POST', '/api/import', {
    text: await readFile(file, 'utf8'),
    filename: basename(file),
    baseDir: dirname(file)
  })
  send('import-done')
  await dialog.showMessageBox(mainWindow!, {
    type: 'info',
    message: `Imported ${imported.functions.length} function(s) and ${imported.triggers.length} trigger(s)`,
    detail: imported.warnings.join('\n')
  })
}

async function exportConfig(): Promise<void> {
  const exported = await appApi<ExportResponse>('GET', '/api/export')
  const result = await dialog.showSaveDialog(mainWindow!, { defaultPath: 'serverless.yml' })
  if (result.canceled || !result.filePath) return
  await writeFile(result.filePath, exported.text)
  send('export-done')
}

function readmePath(): string {
  return app.isPackaged ? join(process.resourcesPath, 'README.md') : join(packageRoot(), 'README.md')
}

function reportError(what: string): (error: unknown) => void {
  return (error) => dialog.showErrorBox(`COS Local: ${what}`, error instanceof Error ? error.message : String(error))
}

let menuLanguage: MenuLocale | undefined

/** The menu in the UI's language once the page has said it (else the system's); rebuilt when it changes. */
function installAppMenu(fromUi?: unknown): void {
  const locale = menuRebuild(menuLanguage, fromUi, app.getPreferredSystemLanguages()[0] ?? app.getLocale())
  if (!locale) return
  menuLanguage = locale
  installMenu(buildMenuTemplate({ locale, platform: process.platform, isDev: !app.isPackaged }), {
    'open-data-folder': () => void shell.openPath(core!.dataDir),
    'import-config': () => void importConfig().catch(reportError('import failed')),
    'export-config': () => void exportConfig().catch(reportError('export failed')),
    'open-readme': () => void shell.openPath(readmePath()),
    'copy-endpoint': () => clipboard.writeText(core!.cosEndpoint),
    'show-sdk-config': () => {
      focus(mainWindow)
      send('show-sdk-config')
    },
    about: () => {
      const { title, detail } = aboutText(
        {
          app: app.getVersion(),
          electron: process.versions.electron ?? '',
          chrome: process.versions.chrome ?? '',
          node: process.versions.node
        },
        locale
      )
      void dialog.showMessageBox({ type: 'info', message: title, detail })
    }
  })
}

function openWindow(): void {
  mainWindow = createMainWindow(core!, files, state!)
  mainWindow.on('closed', () => (mainWindow = undefined))
}

async function start(): Promise<void> {
  // The per-user data folder `cos-local serve` uses too (--data DIR or COS_LOCAL_DATA override it),
  // so the CLI's client commands find the desktop app through instance.json.
  const dataDir = resolve(dataDirArgument(process.argv) ?? defaultDataDir())
  ensureDataDir(dataDir)
  const other = runningInstance(dataDir)
  if (other && (await answers(other))) {
    dialog.showErrorBox('COS Local is already running', alreadyRunningMessage(dataDir, other))
    app.exit(1)
    return
  }
  state = new DesktopState(app.getPath('userData'))
  const preferred = {
    cos: envPort('COS_LOCAL_PORT', PREFERRED_PORTS.cos),
    ui: envPort('COS_LOCAL_UI_PORT', PREFERRED_PORTS.ui)
  }
  const { value, plan } = await startOnPorts(preferred, (ports) =>
    createApp({ dataDir, port: ports.cos, uiPort: ports.ui, uiDir: files.rendererDir })
  )
  core = value
  for (const note of plan.notes) console.log(`COS Local: ${note}`)
  // The token is a secret: instance.json is written 0600, as `cos-local serve` writes it.
  writeSecretFile(
    instanceFile(dataDir),
    JSON.stringify(
      { appApiUrl: core.appApiUrl, token: core.token, cosEndpoint: core.cosEndpoint, pid: process.pid },
      null,
      2
    )
  )
  console.log(
    `COS Local is running.\n  COS endpoint  ${core.cosEndpoint}\n  UI            ${core.uiUrl}\n  Data          ${dataDir}`
  )
  secureSession(core)
  removeDragFiles = registerIpc({
    dataDir,
    cos: () => ({ endpoint: core!.cosEndpoint }),
    dragIcon: files.dragIcon,
    isAppUrl: (url) => isAppUrl(url, core!.appApiUrl),
    onLanguage: (locale) => installAppMenu(locale)
  })
  installAppMenu()
  openWindow()
}

/** Stop the core (functions' process trees are killed), then let Electron quit. */
let stopping: Promise<void> | undefined
function stopCore(): Promise<void> {
  stopping ??= (async () => {
    removeDragFiles?.()
    if (!core) return
    await core.stop()
    rmSync(instanceFile(core.dataDir), { force: true })
  })()
  return stopping
}

if (!app.requestSingleInstanceLock()) {
  // Another COS Local owns this profile: it focuses its window (below); this one leaves.
  app.quit()
} else {
  app.on('second-instance', () => focus(mainWindow))
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (core && !mainWindow) openWindow()
  })
  let stopped = false
  app.on('before-quit', (event) => {
    if (stopped) return
    event.preventDefault()
    stopCore()
      .catch((error: unknown) => console.error('[cos-local] stop failed', error))
      .finally(() => {
        stopped = true
        app.quit()
      })
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
  app
    .whenReady()
    .then(start, (error: unknown) => {
      console.error(error)
      app.exit(1)
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('COS Local could not start', error instanceof Error ? error.message : String(error))
      void stopCore().finally(() => app.exit(1))
    })
}
