#!/usr/bin/env node
// Finds a Chromium for the browser tests, says exactly what to install when there is none,
// then runs Playwright.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

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
if (result.status !== 0) printPageSnapshots()
process.exit(result.status ?? 1)

/**
 * What each failed test's page showed (Playwright's error-context.md: its accessibility
 * snapshot), printed so a CI log, where test-results/ is gone, says what the page was doing.
 */
function printPageSnapshots() {
  const dir = 'test-results'
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry, 'error-context.md')
    if (!existsSync(file)) continue
    const text = readFileSync(file, 'utf8')
    const at = text.lastIndexOf('```yaml')
    if (at < 0) continue
    const end = text.indexOf('\n```', at + 7)
    const snapshot = text.slice(at + 7, end < 0 ? undefined : end).trim()
    console.log(
      `\n--- what the page showed: ${file} ---\n${snapshot.length > 12_000 ? `${snapshot.slice(0, 12_000)}\n[…]` : snapshot}`
    )
  }
}
