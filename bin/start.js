#!/usr/bin/env node
// `npm start`: builds when out/ is missing or stale, then starts the desktop app where Electron
// can open a window; otherwise (no Electron binary, no display, or Electron dying at start) the
// headless server, saying why. The decisions are in main/desktop/launch.ts (unit-tested).
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
register()
const { decideLaunch, earlyExitReason, needsBuild } = await import('../main/desktop/launch.ts')

/** An Electron that exits this soon after launch did not manage to open its window. */
const EARLY_EXIT_MS = 10_000

if (needsBuild(root)) {
  console.log('Building COS Local (electron-vite build)…')
  const built = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit'
  })
  if (built.status !== 0) process.exit(built.status ?? 1)
}

function probeElectron() {
  try {
    // The electron package exports the binary's path, and throws when the binary is missing.
    return { path: createRequire(import.meta.url)('electron') }
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0] : String(error) }
  }
}

let child
const forward = (signal) => child?.kill(signal)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => forward(signal))

function headless(reason) {
  console.log(`Electron cannot start here (${reason}); running headless.`)
  child = spawn(process.execPath, [join(root, 'bin/cos-local.js'), 'serve', ...args], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
}

const decision = decideLaunch({ electron: probeElectron(), platform: process.platform, env: process.env })
if (decision.mode === 'headless') headless(decision.reason)
else {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  const startedAt = Date.now()
  child = spawn(decision.electron, [root, ...args], { stdio: 'inherit', env })
  child.on('error', (error) => headless(`Electron could not be started: ${error.message}`))
  child.on('exit', (code, signal) => {
    const early = Date.now() - startedAt < EARLY_EXIT_MS && (code !== 0 || signal !== null)
    if (early && signal !== 'SIGINT' && signal !== 'SIGTERM') headless(earlyExitReason(code, signal))
    else process.exit(code ?? 0)
  })
}
