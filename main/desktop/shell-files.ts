/**
 * Files the desktop shell loads at run time, relative to the bundle's folder (out/main, or
 * app.asar/out/main when packaged). The build test checks every one exists after a build.
 */
import { join } from 'node:path'

export interface ShellFiles {
  preload: string
  rendererDir: string
  rendererIndex: string
  windowIcon: string
  dragIcon: string
  nodeBootstrap: string
  pythonBootstrap: string
}

export function shellFiles(bundleDir: string): ShellFiles {
  return {
    // electron-vite writes the preload as CommonJS (sandboxed preloads cannot be ES modules).
    preload: join(bundleDir, '..', 'preload', 'index.cjs'),
    rendererDir: join(bundleDir, '..', 'renderer'),
    rendererIndex: join(bundleDir, '..', 'renderer', 'index.html'),
    windowIcon: join(bundleDir, '..', 'icons', '512x512.png'),
    dragIcon: join(bundleDir, '..', 'icons', '32x32.png'),
    nodeBootstrap: join(bundleDir, 'runtimes', 'node-bootstrap.cjs'),
    pythonBootstrap: join(bundleDir, 'runtimes', 'python_bootstrap.py')
  }
}
