/**
 * The servers under test, each in its own child process so its memory can be read from
 * /proc/<pid>/status and client load never shares its event loop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { processCpuMs } from './proc-cpu.ts'

const root = join(fileURLToPath(import.meta.url), '..', '..')

export type PeerName =
  | 'COS Local'
  | 'COS Local --fsync'
  | 'COS Local (tsx, from source)'
  | 'COS Local, HTTP side alone'
  | 's3rver'
  | 'null server'
  | 'null + MD5'

export interface Peer {
  name: PeerName
  /** false for the null servers: they store nothing, so listing and restart do not apply. */
  stores: boolean
  /** The null servers remember sizes, so a big GET sends that many bytes from memory. */
  servesBigGet?: boolean
  command(dataDir: string): string[]
  env?: Record<string, string>
  /** Finds the COS port in what the process printed so far. */
  readyPattern: RegExp
}

/** The headless CLI as `npm run build` bundles it (what bin/cos-local.js runs when fresh). */
export const CLI_BUNDLE = join(root, 'out', 'main', 'cli.js')

/** bench/results (or a folder in it), created if missing: a fresh clone has none. */
export function resultsDir(...sub: string[]): string {
  const dir = join(root, 'bench', 'results', ...sub)
  mkdirSync(dir, { recursive: true })
  return dir
}

const serveArgs = (dataDir: string, fsync: boolean): string[] => [
  'serve',
  '--data',
  dataDir,
  '--port',
  '0',
  '--ui-port',
  '0',
  ...(fsync ? ['--fsync'] : [])
]
const COS_READY = /COS endpoint\s+http:\/\/[\d.]+:(\d+)/

export const PEERS = {
  /** The built bundle, started directly (deterministic, whatever changes in main/ meanwhile). */
  cosLocal: {
    name: 'COS Local',
    stores: true,
    command: (dir) => [CLI_BUNDLE, ...serveArgs(dir, false)],
    readyPattern: COS_READY
  },
  cosLocalFsync: {
    name: 'COS Local --fsync',
    stores: true,
    command: (dir) => [CLI_BUNDLE, ...serveArgs(dir, true)],
    readyPattern: COS_READY
  },
  /** The development path: TypeScript compiled by tsx at start (start-up time and memory differ). */
  cosLocalSource: {
    name: 'COS Local (tsx, from source)',
    stores: true,
    command: (dir) => [join(root, 'bin', 'cos-local.js'), ...serveArgs(dir, false)],
    env: { COS_LOCAL_FROM_SOURCE: '1' },
    readyPattern: COS_READY
  },
  /** COS Local's HTTP side and body read + MD5 without the commit (bench/peers/cos-http-only.ts, from source). */
  cosHttpOnly: {
    name: 'COS Local, HTTP side alone',
    stores: false,
    command: (dataDir) => [join(root, 'bin', 'tsx.js'), join(root, 'bench', 'peers', 'cos-http-only.ts'), dataDir],
    readyPattern: /READY (\d+)/
  },
  s3rver: {
    name: 's3rver',
    stores: true,
    command: (dataDir) => [join(root, 'bench', 'peers', 's3rver.mjs'), dataDir],
    readyPattern: /READY (\d+)/
  },
  nullServer: {
    name: 'null server',
    stores: false,
    servesBigGet: true,
    command: () => [join(root, 'bench', 'peers', 'null-server.mjs')],
    readyPattern: /READY (\d+)/
  },
  /** The null server hashing every body on its event loop: the ceiling of a PUT answering an MD5 ETag. */
  nullMd5: {
    name: 'null + MD5',
    stores: false,
    servesBigGet: true,
    command: () => [join(root, 'bench', 'peers', 'null-server.mjs'), '--md5'],
    readyPattern: /READY (\d+)/
  }
} satisfies Record<string, Peer>

/** `npm run build` (electron-vite: main incl. the CLI bundle, preload, renderer). Throws with its output on failure. */
export function buildCosLocal(): void {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' })
  if (build.status !== 0)
    throw new Error(`npm run build failed: ${(build.stderr || build.stdout).trim().split('\n').slice(-3).join(' ')}`)
}

export interface Memory {
  /** Peak resident set (VmHWM), MiB. */
  peakMiB: number
  /** Current resident set (VmRSS), MiB. */
  rssMiB: number
}

export interface RunningServer {
  peer: Peer
  pid: number
  port: number
  dataDir: string
  /** Everything the process printed on stdout (COS Local prints its UI URL and token). */
  output(): string
  /** The last few KB the process printed on stderr. */
  errors(): string
  memory(): Memory
  /** CPU time (user + system, all threads) the process has used so far, ms (/proc/<pid>/stat). */
  cpuMs(): number
  /** Resets VmHWM to the current RSS (Linux clear_refs "5"), so a phase's peak can be read. */
  resetPeak(): void
  stop(): Promise<void>
}

export interface Spawned {
  /** performance.now() just before spawn. */
  spawnedAt: number
  /** Resolves with the server once it printed its port. */
  ready: Promise<RunningServer>
}

/** Flushes dirty pages (`sync`) so one peer's write-back does not slow the next one down. */
export function settleDisk(): void {
  spawnSync('sync')
}

/**
 * `nodeArgs` go before the script, e.g. ['--cpu-prof', '--cpu-prof-dir', DIR]; so do the
 * space-separated flags in $COS_BENCH_SERVER_FLAGS (e.g. V8 flags for an experiment).
 */
export function spawnServer(peer: Peer, dataDir: string, nodeArgs: string[] = []): Spawned {
  const spawnedAt = performance.now()
  const envFlags = (process.env.COS_BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...envFlags, ...nodeArgs, ...peer.command(dataDir)], {
    cwd: root,
    env: { ...process.env, ...peer.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const ready = new Promise<RunningServer>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = peer.readyPattern.exec(stdout)
      if (match)
        resolve(
          running(
            peer,
            child,
            Number(match[1]),
            dataDir,
            () => stdout,
            () => stderr
          )
        )
    })
    child.on('exit', (code) => {
      const lines = stderr.trim().split('\n')
      const last = lines.at(-1) ?? ''
      reject(new Error(`${peer.name} exited (${code}) before it was ready: ${last}\n${stderr}`))
    })
  })
  return { spawnedAt, ready }
}

export function startServer(peer: Peer, dataDir: string, nodeArgs: string[] = []): Promise<RunningServer> {
  settleDisk()
  return spawnServer(peer, dataDir, nodeArgs).ready
}

/**
 * The peers started at once, each in a temp data folder of its own, for `body` (an alternated
 * measurement: both servers up, taking turns); stopped and their folders removed after.
 */
export async function withServers<T>(peers: Peer[], body: (servers: RunningServer[]) => Promise<T>): Promise<T> {
  const started: { server: RunningServer; dir: string }[] = []
  try {
    for (const peer of peers) {
      const dir = mkdtempSync(join(tmpdir(), 'cos-bench-'))
      try {
        started.push({ server: await startServer(peer, dir), dir })
      } catch (error) {
        rmSync(dir, { recursive: true, force: true })
        throw error
      }
    }
    return await body(started.map(({ server }) => server))
  } finally {
    for (const { server, dir } of started) {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

function running(
  peer: Peer,
  child: ChildProcess,
  port: number,
  dataDir: string,
  output: () => string,
  errors: () => string
): RunningServer {
  const pid = child.pid!
  return {
    peer,
    pid,
    port,
    dataDir,
    output,
    errors,
    memory: () => readMemory(pid),
    cpuMs: () => processCpuMs(pid),
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    stop: () => stopChild(child)
  }
}

function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { peakMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
