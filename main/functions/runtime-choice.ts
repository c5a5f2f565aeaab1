/**
 * Which programs run the functions. Node functions: `node` from PATH when there is one,
 * otherwise the app's own runtime (the Electron binary with ELECTRON_RUN_AS_NODE=1, or the Node
 * running the headless server). Python functions: a configured interpreter, else python3 /
 * python (py on Windows) from PATH, with a message saying how to fix it when none is found.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'

export interface PathLookup {
  /** PATH as the process sees it. */
  path: string | undefined
  platform: string
  /** PATHEXT on Windows. */
  pathExt?: string
  isExecutable(file: string): boolean
}

/**
 * Folders searched after PATH: an app started from the macOS Finder gets a minimal PATH
 * (/usr/bin:/bin:/usr/sbin:/sbin) that misses Homebrew's and the python.org installers'.
 */
export function extraSearchDirs(platform: string): string[] {
  return platform === 'darwin'
    ? ['/opt/homebrew/bin', '/usr/local/bin', '/Library/Frameworks/Python.framework/Versions/Current/bin']
    : platform === 'win32'
      ? []
      : ['/usr/local/bin', '/usr/bin']
}

/** The first executable named `name` in PATH (and the platform's extra folders), or undefined. */
export function findOnPath(name: string, lookup: PathLookup): string | undefined {
  const dirs = [
    ...(lookup.path ?? '').split(lookup.platform === 'win32' ? ';' : ':'),
    ...extraSearchDirs(lookup.platform)
  ]
  const exts = lookup.platform === 'win32' ? (lookup.pathExt ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : ['']
  const seen = new Set<string>()
  for (const dir of dirs) {
    if (!dir || seen.has(dir)) continue
    seen.add(dir)
    for (const ext of exts) {
      const file = join(dir, name + ext)
      if (lookup.isExecutable(file)) return file
    }
  }
  return undefined
}

export interface NodeRuntime {
  /** Executable used to fork the Node bootstrap. */
  command: string
  /** True when the command is the app's own binary run as Node (ELECTRON_RUN_AS_NODE=1). */
  ownRuntime: boolean
  description: string
}

export function chooseNodeRuntime(input: {
  nodeOnPath: string | undefined
  execPath: string
  /** process.versions.electron: set when running inside Electron. */
  electronVersion: string | undefined
  nodeVersion: string
}): NodeRuntime {
  if (!input.electronVersion) {
    return {
      command: input.execPath,
      ownRuntime: true,
      description: `Node.js ${input.nodeVersion} (${input.execPath})`
    }
  }
  if (input.nodeOnPath) {
    return { command: input.nodeOnPath, ownRuntime: false, description: `node from PATH (${input.nodeOnPath})` }
  }
  return {
    command: input.execPath,
    ownRuntime: true,
    description: `the app's own Node.js ${input.nodeVersion} (no node on PATH)`
  }
}

export interface PythonRuntime {
  command?: string
  /** Shown in the Functions view when Python functions cannot run. */
  message?: string
}

export function choosePython(input: {
  configured: string | undefined
  platform: string
  find: (name: string) => string | undefined
  isExecutable: (file: string) => boolean
}): PythonRuntime {
  if (input.configured) {
    const command = isAbsolute(input.configured) ? input.configured : input.find(input.configured)
    if (command && input.isExecutable(command)) return { command }
    return {
      message: `The configured Python "${input.configured}" (COS_LOCAL_PYTHON) was not found or is not executable. Python functions cannot run until it points to a Python 3 interpreter.`
    }
  }
  const names = input.platform === 'win32' ? ['python', 'python3', 'py'] : ['python3', 'python']
  for (const name of names) {
    const command = input.find(name)
    if (command) return { command }
  }
  return {
    message:
      'Python 3 was not found on PATH, so Python functions cannot run. Install Python 3 (python.org, Homebrew, or your package manager), or set COS_LOCAL_PYTHON to the interpreter, then restart COS Local.'
  }
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function systemLookup(env: NodeJS.ProcessEnv = process.env): PathLookup {
  return {
    path: env.PATH ?? env.Path,
    platform: process.platform,
    pathExt: env.PATHEXT,
    isExecutable: isExecutableFile
  }
}

/** Both runtimes for this process, found on this machine. */
export function detectRuntimes(env: NodeJS.ProcessEnv = process.env): { node: NodeRuntime; python: PythonRuntime } {
  const lookup = systemLookup(env)
  const find = (name: string): string | undefined => findOnPath(name, lookup)
  return {
    node: chooseNodeRuntime({
      nodeOnPath: process.versions.electron ? find('node') : undefined,
      execPath: process.execPath,
      electronVersion: process.versions.electron,
      nodeVersion: process.versions.node
    }),
    python: choosePython({
      configured: env.COS_LOCAL_PYTHON,
      platform: process.platform,
      find,
      isExecutable: isExecutableFile
    })
  }
}
