/**
 * A spare Node runtime: a function process started before any function needs it, so that a
 * cold start does not wait for Node to boot (≈ 65–90 ms of a ≈ 90 ms cold start on the bench
 * machine). It is started exactly as a function's own process would be — the same executable,
 * bootstrap, `--max-old-space-size` (a spare is made for one memory size), detached, niced —
 * and holds no function's code or settings until one instance adopts it: then it is sent that
 * function's whole environment and folder (`setup`), and loads the handler from there, as a
 * process started for the function would. A spare serves one instance only (it is never handed
 * back), so no function's process ever ran another's code.
 *
 * What a process reads only while it starts cannot be changed afterwards: a function whose
 * environment sets any of those variables differently (NODE_OPTIONS, LD_PRELOAD, HOME, the
 * locale, …, see STARTUP_ONLY) gets a process of its own, as does debug mode (--inspect).
 * (`/proc/PID/environ` of an adopted process still shows the spare's environment; its
 * `process.env`, and so every process it starts, has the function's.)
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { lowerPriority, NODE_BOOTSTRAP } from './function-instance.ts'
import { INSTANCE_MARKER_ENV, killTree } from './process-tree.ts'

/**
 * Variables Node, V8, the dynamic linker, glibc, OpenSSL or ICU read as the process starts
 * (or that fix module search paths then: HOME, NODE_PATH): a function that sets one of these
 * to a value the spare did not start with cannot use the spare. TZ is not among them: Node
 * applies an assignment to process.env.TZ at once (Date and Intl alike).
 */
const STARTUP_ONLY = /^(NODE_|UV_|V8_|LD_|GLIBC_|MALLOC_|OPENSSL_|SSL_|ELECTRON_|ICU_|HOME$|LANG$|LANGUAGE$|LC_)/

export interface SpareOptions {
  /** Executable that forks the bootstrap (as for the function's own process). */
  command: string
  /** The --max-old-space-size it starts with: only a function of this memory size can adopt it. */
  memory: number
  /** Its environment until adopted: what every function's environment has in common. */
  env: Record<string, string>
}

export class SpareRuntime {
  readonly memory: number
  readonly command: string
  /** The instance marker (process-tree.ts) the adopting instance keeps. */
  readonly marker = randomUUID()
  readonly #env: Record<string, string>
  readonly #child: ChildProcess
  #adopted = false

  constructor(options: SpareOptions) {
    this.memory = options.memory
    this.command = options.command
    this.#env = { ...options.env, [INSTANCE_MARKER_ENV]: this.marker, ELECTRON_RUN_AS_NODE: '1' }
    this.#child = fork(NODE_BOOTSTRAP, [], {
      cwd: tmpdir(),
      execPath: options.command,
      env: { ...this.#env, COS_LOCAL_SPARE: '1' },
      execArgv: [`--max-old-space-size=${options.memory}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: process.platform !== 'win32',
      serialization: 'json'
    })
    // a spare that cannot start is just not there (the function's own process reports why)
    this.#child.on('error', () => {})
    if (this.#child.pid !== undefined) lowerPriority(this.#child.pid)
  }

  /** Still starting or waiting (not exited, not adopted). */
  get available(): boolean {
    return !this.#adopted && this.#child.connected && this.#child.exitCode === null && this.#child.signalCode === null
  }

  /**
   * Whether a function with this whole environment (and this memory size, executable) can
   * adopt it: every variable read only at start has the value the spare started with.
   */
  fits(memory: number, command: string, env: Record<string, string>): boolean {
    if (!this.available || memory !== this.memory || command !== this.command) return false
    for (const name of new Set([...Object.keys(env), ...Object.keys(this.#env)])) {
      if (STARTUP_ONLY.test(name) && name !== 'ELECTRON_RUN_AS_NODE' && env[name] !== this.#env[name]) return false
    }
    return true
  }

  /** The process becomes the function's: its environment (whole) and working folder are sent now. */
  adopt(env: Record<string, string>, cwd: string): ChildProcess {
    this.#adopted = true
    this.#child.send({ type: 'setup', env, cwd })
    return this.#child
  }

  /** Stop a spare nobody adopted. */
  discard(): void {
    if (!this.#adopted) void killTree(this.#child, this.marker)
  }
}

/**
 * The memory size a spare should have for these functions: the most common among the Node
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
