#!/usr/bin/env node
// Runs the CLI from the prebuilt bundle (out/main/cli.js, made by `npm run build`) when it is
// newer than every source file under main/ (an installed package has no main/, only the
// bundle); otherwise straight from TypeScript through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundle = join(root, 'out', 'main', 'cli.js')

function newestSource(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

const sources = join(root, 'main')
const bundleFresh =
  process.env.COS_LOCAL_FROM_SOURCE !== '1' &&
  existsSync(bundle) &&
  (!existsSync(sources) || statSync(bundle).mtimeMs >= newestSource(sources))

if (bundleFresh) {
  await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../main/cli.ts')
}
