/**
 * The composition root: builds the whole core (COS API, store, event bus, functions,
 * app API + UI) from a data folder. The CLI (`serve`), the Electron shell and the tests
 * all call createApp; tests use port 0 and a temp folder.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ConnectionInfo } from '../preload/contract/connections.ts'
import type { AppInfo } from '../preload/contract/info.ts'
import { routes } from '../preload/contract/routes.ts'
import { appHandlers } from './app-api/routes/index.ts'
import { Router } from './app-api/router.ts'
import { startAppApi } from './app-api/server.ts'
import { createEventSystem, type EventSystem } from './event-system.ts'
import { createSystemClock, type Clock } from './core/clock.ts'
import { startCosServer } from './cos-api/server.ts'
import { createStorage, type StorageService } from './storage/create-storage.ts'
import { detectRuntimes, type NodeRuntime, type PythonRuntime } from './functions/runtime-choice.ts'
import { packageRoot } from './paths.ts'
import type { SnapshotDeps } from './snapshot/snapshot-deps.ts'
import { ConnectionStore, type SecretCipher } from './connections/connection-store.ts'

export interface Credentials {
  secretId: string
  secretKey: string
}

export interface AppOptions {
  dataDir: string
  /** Interface every listener binds (default 127.0.0.1). */
  host?: string
  /** COS API port (0 = any free port). */
  port?: number
  /** App API + UI port (0 = any free port). */
  uiPort?: number
  /** false: no app API and no UI (the programmatic API's `uiPort: false`). */
  ui?: boolean
  /** Seals saved connections' secrets at rest (the desktop app: Electron safeStorage). */
  secretCipher?: SecretCipher
  /** false: do not dispatch queued events or run functions (offline tools such as snapshot load). */
  dispatch?: boolean
  appid?: string
  /** Default region for path-style requests and the SCF event's region. */
  region?: string
  /** fsync blobs, directories and commits: survive a machine crash, not only kill -9. */
  fsync?: boolean
  /** Commit the storage's group commits on a writer thread (store/writer-thread.ts). */
  writerThread?: boolean
  /** Emulated minutes per real minute (60 = a minute passes in a second). */
  clockSpeed?: number
  clock?: Clock
  /** When set, COS signatures are verified against these keys; otherwise open mode. */
  credentials?: Credentials[]
  /** The app-API token (random when not given). */
  token?: string
  /** Folder of the built UI (default out/renderer next to the package). */
  uiDir?: string
  /**
   * Check every app-API answer against the contract's response schema (default: on under
   * tests and in development, i.e. NODE_ENV test/development or COS_LOCAL_CHECK_RESPONSES=1).
   */
  checkResponses?: boolean
  /** Host names the COS API answers besides loopback, the bind address and COS's (`--allow-host`). */
  allowHosts?: string[]
  /** Origins added to every bucket's default CORS rule (`--cors-origin`). */
  corsOrigins?: string[]
  /** What runs Node and Python functions (default: found on this machine, see runtime-choice.ts). */
  runtimes?: { node: NodeRuntime; python: PythonRuntime }
}

export interface App {
  cosEndpoint: string
  cosPort: number
  /** '' when started with ui: false (also appApiUrl and token). */
  uiUrl: string
  appApiUrl: string
  token: string
  dataDir: string
  store: StorageService
  events: EventSystem
  clock: Clock
  /** What snapshot save/load and seed work on (main/snapshot). */
  snapshot: SnapshotDeps
  /** The saved connections to other COS endpoints (secrets masked): the desktop window's CSP names them. */
  savedConnections(): ConnectionInfo[]
  stop(): Promise<void>
}

export const DEFAULT_APPID = '1250000000'
export const DEFAULT_REGION = 'ap-guangzhou'
export const OPEN_MODE_CREDENTIALS: Credentials = { secretId: 'AKIDcoslocal', secretKey: 'coslocal-secret' }

let version: string | undefined

/** The app's version from its package.json, read once (GET /api/info asks on every call). */
export function packageVersion(): string {
  if (version !== undefined) return version
  try {
    version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    version = '0.0.0'
  }
  return version
}

function checkResponsesByDefault(): boolean {
  const env = process.env
  return env.COS_LOCAL_CHECK_RESPONSES === '1' || env.NODE_ENV === 'test' || env.NODE_ENV === 'development'
}

export async function createApp(options: AppOptions): Promise<App> {
  const host = options.host ?? '127.0.0.1'
  const appid = options.appid ?? DEFAULT_APPID
  const region = options.region ?? DEFAULT_REGION
  const clock = options.clock ?? createSystemClock(options.clockSpeed ?? 1)
  const fsync = options.fsync ?? false
  const runtimes = options.runtimes ?? detectRuntimes()

  const opened = createStorage({
    dataDir: options.dataDir,
    clock,
    fsync,
    appid,
    defaultRegion: region,
    writerThread: options.writerThread
  })
  const { storage: store, db, queue } = opened
  let uiOrigins: string[] = []
  const cos = await startCosServer({
    storage: store,
    host,
    port: options.port ?? 0,
    appid,
    defaultRegion: region,
    clock,
    credentials: options.credentials,
    allowHosts: options.allowHosts,
    corsOrigins: options.corsOrigins,
    uiOrigins: () => uiOrigins
  })
  const cosEndpoint = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${cos.port}`

  const router = new Router(routes, { checkResponses: options.checkResponses ?? checkResponsesByDefault() })
  const api =
    options.ui === false
      ? undefined
      : await startAppApi({
          host,
          port: options.uiPort ?? 0,
          router,
          uiDir: options.uiDir ?? join(packageRoot(), 'out', 'renderer'),
          token: options.token
        })
  uiOrigins = api ? uiOriginsOf(host, api.port) : []
  const credentials = options.credentials?.[0] ?? OPEN_MODE_CREDENTIALS
  const events = createEventSystem({
    db,
    queue,
    dataDir: options.dataDir,
    clock,
    appid,
    region,
    push: api?.push,
    cosEndpoint,
    credentials,
    bucketRegion: (name) => store.listBuckets().find((bucket) => bucket.name === name)?.region,
    runner: { nodeCommand: runtimes.node.command, pythonCommand: runtimes.python.command }
  })
  const info = (): AppInfo => ({
    version: packageVersion(),
    cosEndpoint,
    cosPort: cos.port,
    appid,
    region,
    credentials,
    verifySignatures: Boolean(options.credentials?.length),
    dataDir: options.dataDir,
    clockSpeed: clock.speed,
    runtimes: {
      nodejs: runtimes.node.description,
      python3: { command: runtimes.python.command, message: runtimes.python.message }
    }
  })
  const snapshot: SnapshotDeps = {
    storage: store,
    functions: events,
    dataDir: options.dataDir,
    appid,
    region,
    version: packageVersion()
  }
  const connections = new ConnectionStore(options.dataDir, options.secretCipher)
  router.use(
    appHandlers({
      events,
      store,
      info,
      cos: () => ({ endpoint: cosEndpoint, credentials: options.credentials?.[0] }),
      snapshot,
      connections
    })
  )
  if (options.dispatch !== false) events.start()

  let stopped: Promise<void> | undefined
  return {
    cosEndpoint,
    cosPort: cos.port,
    uiUrl: api ? `${api.url}/?token=${api.token}` : '',
    appApiUrl: api?.url ?? '',
    token: api?.token ?? '',
    dataDir: options.dataDir,
    store,
    events,
    clock,
    snapshot,
    savedConnections: () => connections.list(),
    stop() {
      stopped ??= (async () => {
        await cos.close()
        await events.stop()
        await api?.close()
        await opened.close()
      })()
      return stopped
    }
  }
}

/** The origins the UI is served from: the app API's port on every loopback name and the bound host. */
function uiOriginsOf(host: string, port: number): string[] {
  const names = ['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host]
  return [...new Set(names.map((name) => `http://${name}:${port}`))]
}
