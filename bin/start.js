#!/usr/bin/env node
// `npm start`: the desktop app where Electron can start, otherwise the headless server.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

function electronBinary() {
  try {
    // The electron package exports the binary path, and throws when the binary is missing.
    return createRequire(import.meta.url)('electron')
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0] : String(error) }
  }
}

const electron = electronBinary()
const child =
  typeof electron === 'string'
    ? spawn(electron, [join(root, 'out/main/main.js'), ...args], { stdio: 'inherit' })
    : (console.log(`Electron cannot start here (${electron.missing}); running headless.`),
      spawn(process.execPath, [join(root, 'bin/cos-local.js'), 'serve', ...args], { stdio: 'inherit' }))

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
