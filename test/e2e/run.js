#!/usr/bin/env node
// Finds a Chromium for the browser tests, says exactly what to install when there is none,
// then runs Playwright.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

function playwrightChromium() {
  try {
    const path = spawnSync(
      process.execPath,
      ['-e', "console.log(require('playwright-core').chromium.executablePath())"],
      {
        encoding: 'utf8'
      }
    ).stdout.trim()
    return path && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

const candidates = [
  process.env.COS_LOCAL_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome'
]
const chromium = candidates.find((path) => path && existsSync(path)) ?? playwrightChromium()
if (!chromium) {
  console.error(`No Chromium found for the browser tests.
Install one of:
  Debian/Ubuntu:  sudo apt-get install -y chromium
  anywhere with network access to Playwright's CDN:  npx playwright install chromium
or point COS_LOCAL_CHROMIUM at a Chromium/Chrome binary.`)
  process.exit(1)
}
console.log(`Browser tests use ${chromium}`)
const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, COS_LOCAL_CHROMIUM: chromium }
})
process.exit(result.status ?? 1)
