/**
 * Starting a runtime's process: the Node or Python bootstrap under the given executable, in a
 * session of its own (detached), below COS Local's CPU priority. A function instance starts
 * one for itself; a spare runtime (spare-runtime.ts) starts the same ahead of need.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { setPriority } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Runtime } from '../core/functions/function-config.ts'

// In the packaged desktop app the bootstraps sit beside the bundle, unpacked from the asar
// archive (child processes cannot read inside it).
const runtimeFile = (name: string): string =>
  fileURLToPath(new URL(`./runtimes/${name}`, import.meta.url)).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
const NODE_BOOTSTRAP = runtimeFile('node-bootstrap.cjs')
const PYTHON_BOOTSTRAP = runtimeFile('python_bootstrap.py')
/** Variables each runtime's process gets on top of the function's environment. */
export const RUNTIME_ENV = {
  nodejs: { ELECTRON_RUN_AS_NODE: '1' },
  python3: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' }
} as const
/** CPU priority of function processes (inherited by all they start): below COS Local's. */
const FUNCTION_NICE = Number(process.env.COS_LOCAL_FUNCTION_NICE ?? 10)

export interface RuntimeProcessOptions {
  runtime: Runtime
  /** The executable: Node (or Electron run as Node) for the Node bootstrap, Python's for Python's. */
  command: string
  /** Node: its heap limit, --max-old-space-size (MB). */
  memory?: number
  /** The environment, before RUNTIME_ENV. */
  env: Record<string, string>
  cwd: string
  /** Debug mode: Node --inspect / Python debugpy listening here. */
  debug?: { host: string; port: number }
}

/**
 * The process, with stdout and stderr piped and its channel to COS Local: Node's IPC, or for
 * Python the pipes on fds 3 (to it) and 4 (from it).
 */
export function startRuntimeProcess(options: RuntimeProcessOptions): ChildProcess {
  const { runtime, command, memory, cwd, debug } = options
  const detached = process.platform !== 'win32'
  const child =
    runtime === 'nodejs'
      ? fork(NODE_BOOTSTRAP, [], {
          cwd,
          execPath: command,
          env: { ...options.env, ...RUNTIME_ENV.nodejs },
          execArgv: [
            ...(memory !== undefined ? [`--max-old-space-size=${memory}`] : []),
            ...(debug ? [`--inspect=${debug.host}:${debug.port}`] : [])
          ],
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
          detached,
          serialization: 'json'
        })
      : spawn(
          command,
          ['-u', ...(debug ? ['-m', 'debugpy', '--listen', `${debug.host}:${debug.port}`] : []), PYTHON_BOOTSTRAP],
          {
            cwd,
            env: { ...options.env, ...RUNTIME_ENV.python3 },
            stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
            detached
          }
        )
  if (child.pid !== undefined) lowerPriority(child.pid)
  return child
}

export function defaultPython(): string {
  return process.env.COS_LOCAL_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3')
}

/** Function processes run below COS Local's CPU priority (see lowerAutogroup). */
function lowerPriority(pid: number): void {
  try {
    setPriority(pid, FUNCTION_NICE)
  } catch {
    // not permitted here: the function runs at normal priority
  }
  lowerAutogroup(pid)
}

/**
 * Linux schedules each session as an "autogroup", where a process's nice value counts only
 * against its own group: an instance runs in a session of its own (spawned detached), so its
 * group's nice is lowered too, or the functions would compete with COS Local as equals.
 */
function lowerAutogroup(pid: number): void {
  if (process.platform !== 'linux') return
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(FUNCTION_NICE))
  } catch {
    // no autogroups (kernel setting) or not permitted: the process's own nice still applies
  }
}
