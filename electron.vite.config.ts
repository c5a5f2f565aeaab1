import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve(root, 'main/electron/main.ts'), formats: ['es'] },
      rollupOptions: { external: ['libsql', 'tsx', 'lowdb', 'busboy', 'ws', 'yaml', 'zod', 'fast-xml-parser'] }
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
    plugins: [svelte({ configFile: resolve(root, 'svelte.config.js') })]
  }
})
