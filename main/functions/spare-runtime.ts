/**
 * A spare runtime: a function process started before any function needs it, so that a cold
 * start does not wait for the runtime to boot (Node: ≈ 65–90 ms of a ≈ 90 ms cold start on the
 * bench machine). It is started exactly as a function's own process would be — the same
 * executable, bootstrap, flags (for Node `--max-old-space-size`: a Node spare is made for one
 * memory size), detached, niced — and holds no function's code or settings until one instance
 * adopts it: then it is sent that function's whole environment and folder (`setup`), and loads
 * the handler from there, as a process started for the function would. A spare serves one
 * instance only (it is never handed back), so no function's process ever ran another's code.
 *
 * What a process reads only while it starts cannot be changed afterwards: a function whose
 * environment sets any of those variables differently (NODE_OPTIONS, PYTHONPATH, LD_PRELOAD,
 * HOME, the locale, …, see STARTUP_ONLY) gets a process of its own, as does debug mode.
 * (`/proc/PID/environ` of an adopted process still shows the spare's environment; its
 * environment as the code sees it, and so that of every process it starts, is the function's.)
 */
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import type { Writable } from 'node:stream'
import type { Runtime } from '../core/functions/function-config.ts'
import { RUNTIME_ENV, startRuntimeProcess } from './runtime-process.ts'
import { INSTANCE_MARKER_ENV, killTree } from './process-tree.ts'

/**
 * Variables the runtime, the dynamic linker, glibc, OpenSSL or ICU read as the process starts
 * (or that fix module search paths then: HOME, NODE_PATH, PYTHONPATH): a function that sets one
 * of these to a value the spare did not start with cannot use the spare. TZ is not among them:
 * Node applies an assignment to process.env.TZ at once (Date and Intl alike), and the Python
 * bootstrap calls time.tzset() after the setup.
 */
const STARTUP_ONLY: Record<Runtime, RegExp> = {
  nodejs: /^(NODE_|UV_|V8_|LD_|GLIBC_|MALLOC_|OPENSSL_|SSL_|ELECTRON_|ICU_|HOME$|LANG$|LANGUAGE$|LC_)/,
  python3: /^(PYTHON|LD_|GLIBC_|MALLOC_|OPENSSL_|SSL_|HOME$|LANG$|LANGUAGE$|LC_)/
}

export interface SpareOptions {
  runtime: Runtime
  /** Executable that starts the bootstrap (as for the function's own process). */
  command: string
  /** Node: the --max-old-space-size it starts with (only a function of this memory size can adopt it). */
  memory?: number
  /** Its environment until adopted: what every function's environment has in common. */
  env: Record<string, string>
}

export class SpareRuntime {
  readonly runtime: Runtime
  readonly memory: number | undefined
  readonly command: string
  /** The instance marker (process-tree.ts) the adopting instance keeps. */
  readonly marker = randomUUID()
  /** The environment it started with (without COS_LOCAL_SPARE). */
  readonly #env: Record<string, string>
  readonly #child: ChildProcess
  #adopted = false
  #gone = false

  constructor(options: SpareOptions) {
    this.runtime = options.runtime
    this.memory = options.runtime === 'nodejs' ? options.memory : undefined
    this.command = options.command
    this.#env = { ...options.env, [INSTANCE_MARKER_ENV]: this.marker, ...RUNTIME_ENV[options.runtime] }
    this.#child = startRuntimeProcess({
      runtime: options.runtime,
      command: options.command,
      memory: this.memory,
      env: { ...this.#env, COS_LOCAL_SPARE: '1' },
      cwd: tmpdir()
    })
    // a spare that cannot start is just not there (the function's own process reports why)
    this.#child.on('error', () => (this.#gone = true))
    this.#child.on('exit', () => (this.#gone = true))
    if (this.#child.pid === undefined) this.#gone = true
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  /** Still starting or waiting (not exited, not adopted). */
  get available(): boolean {
    return !this.#adopted && !this.#gone && this.#child.exitCode === null && this.#child.signalCode === null
  }

  /**
   * Whether a function of this runtime, memory size and whole environment (before the
   * runtime's own variables) run with this executable can adopt it: every variable read only at
   * start has the value the spare started with.
   */
  fits(runtime: Runtime, memory: number, command: string, env: Record<string, string>): boolean {
    if (!this.available || runtime !== this.runtime || command !== this.command) return false
    if (runtime === 'nodejs' && memory !== this.memory) return false
    const full: Record<string, string> = { ...env, ...RUNTIME_ENV[runtime] }
    const startupOnly = STARTUP_ONLY[runtime]
    for (const name of new Set([...Object.keys(full), ...Object.keys(this.#env)])) {
      if (startupOnly.test(name) && full[name] !== this.#env[name]) return false
    }
    return true
  }

  /** The process becomes the function's: its environment (whole) and working folder are sent now. */
  adopt(env: Record<string, string>, cwd: string): ChildProcess {
    this.#adopted = true
    const setup = { type: 'setup', env, cwd }
    if (this.runtime === 'nodejs') this.#child.send(setup)
    else {
      const toChild = this.#child.stdio[3] as Writable
      toChild.on('error', () => {})
      toChild.write(JSON.stringify(setup) + '\n')
    }
    return this.#child
  }

  /** Stop a spare nobody adopted. */
  discard(): void {
    if (!this.#adopted) void killTree(this.#child, this.marker)
  }
}

/** Which spares to keep for these functions: a Node one of this memory size, a Python one. */
export interface SpareWants {
  nodeMemory?: number
  python: boolean
}

export function sparesFor(functions: readonly { runtime: string; memory: number; updatedAt: number }[]): SpareWants {
  return { nodeMemory: spareMemoryFor(functions), python: functions.some((fn) => fn.runtime === 'python3') }
}

/**
 * The memory size a Node spare should have for these functions: the most common among the Node
 * ones (ties: the most recently changed), undefined when there is no Node function.
 */
export function spareMemoryFor(
  functions: readonly { runtime: string; memory: number; updatedAt: number }[]
): number | undefined {
  const sizes = new Map<number, { count: number; latest: number }>()
  for (const fn of functions) {
    if (fn.runtime !== 'nodejs') continue
    const size = sizes.get(fn.memory) ?? { count: 0, latest: 0 }
    sizes.set(fn.memory, { count: size.count + 1, latest: Math.max(size.latest, fn.updatedAt) })
  }
  let best: [number, { count: number; latest: number }] | undefined
  for (const entry of sizes) {
    const [, size] = entry
    if (!best || size.count > best[1].count || (size.count === best[1].count && size.latest > best[1].latest))
      best = entry
  }
  return best?.[0]
}
