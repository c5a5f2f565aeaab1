/**
 * The desktop shell: starts the same core as `cos-local serve` and shows its UI in a
 * locked-down window. The only file that imports 'electron' on the main side.
 */
import { app, BrowserWindow, shell } from 'electron'
import { join } from 'node:path'
import { createApp, type App } from '../app.ts'

let core: App | undefined

async function openWindow(): Promise<void> {
  core = await createApp({
    dataDir: join(app.getPath('userData'), 'data'),
    port: 9500,
    uiPort: 9501,
    // The bundle lives in out/main; the built UI beside it in out/renderer.
    uiDir: join(import.meta.dirname, '../renderer')
  })
  const bridge = new URLSearchParams({ apiUrl: core.appApiUrl, token: core.token })
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'COS Local',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      additionalArguments: [`--cos-local=${bridge.toString()}`]
    }
  })
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('http://') || url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(core!.appApiUrl)) event.preventDefault()
  })
  await window.loadURL(core.uiUrl)
}

app.whenReady().then(openWindow, (error: unknown) => {
  console.error(error)
  app.exit(1)
})

app.on('window-all-closed', () => {
  void (core?.stop() ?? Promise.resolve()).then(() => app.quit())
})
