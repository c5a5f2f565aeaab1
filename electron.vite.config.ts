import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { routeIndex } from './preload/contract/route-index.ts'
import { renderIcons } from './scripts/icons.ts'

const root = import.meta.dirname

/** The function runtimes' bootstraps run as separate processes, so they ship as files beside the bundle. */
const copyRuntimes = (): Plugin => ({
  name: 'cos-local-copy-runtimes',
  closeBundle() {
    cpSync(resolve(root, 'main/functions/runtimes'), resolve(root, 'out/main/runtimes'), { recursive: true })
  }
})

/**
 * The renderer's app-API client needs only each route's method and path: ship them as plain data
 * (preload/contract/route-index.ts, evaluated when the config loads: restart `electron-vite dev`
 * after adding a route) instead of the zod schemas they come from.
 */
const plainRouteIndex = (): Plugin => {
  const file = resolve(root, 'preload/contract/route-index.ts')
  return {
    name: 'cos-local-plain-route-index',
    enforce: 'pre',
    load(id) {
      if (id.split('?')[0] !== file) return undefined
      return `export const routeIndex = ${JSON.stringify(routeIndex)}\n`
    }
  }
}

/** The icons the desktop shell loads at run time (window icon, drag-out image), from build/icon.svg. */
const shellIcons = (): Plugin => ({
  name: 'cos-local-shell-icons',
  closeBundle() {
    renderIcons(resolve(root, 'build/icon.svg'), resolve(root, 'out'), { bundles: false, sizes: [32, 512] })
  }
})

/**
 * Pure-JavaScript dependencies built into the main bundle instead of resolved and compiled file by
 * file from node_modules at every start. The rest load from node_modules: libsql (native), tsx
 * (functions' loaders) and what is required on first use (fast-xml-parser, ws, yaml).
 */
const BUNDLED_DEPENDENCIES = ['zod', 'mime-types', 'fflate', 'busboy', 'lowdb']

export default defineConfig({
  main: {
    plugins: [copyRuntimes(), shellIcons()],
    build: {
      outDir: 'out/main',
      // The desktop shell, the headless CLI (bin/cos-local.js runs the bundle), the programmatic
      // API (`import { startCosLocal } from 'cos-local'`, package.json exports) and the hashing
      // thread's module (main/store/hash-writer.ts starts it from beside the bundle's code).
      lib: {
        entry: {
          main: resolve(root, 'main/electron/main.ts'),
          cli: resolve(root, 'main/cli.ts'),
          api: resolve(root, 'main/api/index.ts'),
          'hash-writer-worker': resolve(root, 'main/store/hash-writer-worker.ts')
        },
        formats: ['es']
      },
      externalizeDeps: { exclude: BUNDLED_DEPENDENCIES },
      rollupOptions: { external: ['libsql', 'tsx'] }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve(root, 'preload/index.ts'), formats: ['cjs'] }
    }
  },
  renderer: {
    root: resolve(root, 'renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'renderer/index.html') }
    },
    plugins: [plainRouteIndex(), svelte({ configFile: resolve(root, 'svelte.config.js') })]
  }
})
