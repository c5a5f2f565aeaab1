/**
 * Debug mode for one function: its instances start with Node's inspector (`--inspect`) or
 * Python's debugpy listening on a free loopback port, and have no timeout while it lasts.
 * Turning it on starts a warm instance at once, so a debugger can attach and set
 * breakpoints before the next invocation; the answer says where and how to attach.
 */
import { spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { CosError } from '../core/cos/errors.ts'
import type { FunctionRecord } from '../store/app-state.ts'
import type { RunSpec, FunctionRunner } from './runner.ts'

const HOST = '127.0.0.1'

export interface DebugInfo {
  name: string
  runtime: 'nodejs' | 'python3'
  enabled: boolean
  host?: string
  port?: number
  devtoolsUrl?: string
  vscode?: Record<string, unknown>
  message: string
}

export async function setDebugMode(
  runner: FunctionRunner,
  fn: FunctionRecord,
  spec: RunSpec,
  enabled: boolean
): Promise<DebugInfo> {
  const base = { name: fn.name, runtime: fn.runtime }
  if (!enabled) {
    const was = runner.debugOf(fn.name)
    runner.setDebug(fn.name, undefined)
    return {
      ...base,
      enabled: false,
      message: was
        ? `Debug mode of ${fn.name} is off; its instances were recycled and timeouts apply again.`
        : `${fn.name} was not in debug mode.`
    }
  }
  if (fn.runtime === 'python3') requireDebugpy(runner.pythonCommand)
  const port = runner.debugOf(fn.name)?.port ?? (await freePort())
  runner.setDebug(fn.name, { host: HOST, port })
  const started = await runner.warm(spec)
  if (!started.ok) {
    runner.setDebug(fn.name, undefined)
    throw new CosError('DebuggerUnavailable', `The ${fn.runtime} instance of ${fn.name} did not start in debug mode`, {
      status: 500
    })
  }
  const localRoot = fn.sourceDir ?? spec.codeDir
  if (fn.runtime === 'nodejs') {
    const devtoolsUrl = await nodeDevtoolsUrl(port)
    return {
      ...base,
      enabled: true,
      host: HOST,
      port,
      devtoolsUrl,
      vscode: {
        type: 'node',
        request: 'attach',
        name: `COS Local: ${fn.name}`,
        address: HOST,
        port,
        localRoot,
        remoteRoot: spec.codeDir
      },
      message:
        `${fn.name} runs with the Node inspector on ${HOST}:${port} (timeouts suspended). ` +
        `Open the DevTools URL in Chrome, or chrome://inspect → Configure → ${HOST}:${port}, ` +
        'or attach VS Code with the launch configuration. Each new instance keeps the port.'
    }
  }
  return {
    ...base,
    enabled: true,
    host: HOST,
    port,
    vscode: {
      type: 'debugpy',
      request: 'attach',
      name: `COS Local: ${fn.name}`,
      connect: { host: HOST, port },
      pathMappings: [{ localRoot, remoteRoot: spec.codeDir }]
    },
    message:
      `${fn.name} runs under debugpy on ${HOST}:${port} (timeouts suspended). ` +
      'Attach VS Code (Python Debugger extension) with the launch configuration.'
  }
}

function requireDebugpy(python: string): void {
  const probe = spawnSync(python, ['-c', 'import debugpy'], { encoding: 'utf8', timeout: 15_000 })
  if (probe.status === 0) return
  throw new CosError(
    'DebuggerUnavailable',
    `debugpy is not installed for ${python}. Install it with \`${python} -m pip install debugpy\` ` +
      '(or add it to the environment COS Local runs Python from), then start debug mode again.',
    { status: 409 }
  )
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** The DevTools URL of the inspector listening on `port` (it changes with each new process). */
async function nodeDevtoolsUrl(port: number): Promise<string | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const response = await fetch(`http://${HOST}:${port}/json/list`)
      const [target] = (await response.json()) as { devtoolsFrontendUrl?: string }[]
      if (target?.devtoolsFrontendUrl) return target.devtoolsFrontendUrl
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return undefined
}
