/**
 * The object browser on the million-object bucket, in Chromium (Playwright) against the built
 * headless server started on a data folder that `npm run bench:million -- --data DIR` seeded
 * and kept: time to the first rows on screen when opening
 *
 * 1. the bucket (its top level: 100 folders over 1,000,000 objects), from the bucket list
 *    (the route changes as a link to it does),
 * 2. then a top-level folder, d07/ (10 folders over 10,000 objects), by a click,
 * 3. then a folder of 1,000 objects in it, d07/s7/, by a click.
 *
 *   npx electron-vite build && node bin/tsx.js bench/million-ui.ts --data DIR
 *
 * Goal (issue 14): first rows < 300 ms. Each is the median of 5 (back to the bucket list between).
 */
import { chromium, type Page } from 'playwright-core'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { BUCKET } from './client.ts'
import { median } from './load.ts'
import { PEERS, startServer } from './servers.ts'

const args = process.argv.slice(2)
const dataArg = args.indexOf('--data')
const dataDir = dataArg >= 0 ? args[dataArg + 1] : undefined
const RUNS = 5

const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')

/** Clicks the button named `name` (a bucket or folder link) and waits for a row whose key starts with `rowKey`. */
async function openAndTime(page: Page, name: string, rowKey: string): Promise<number> {
  await page.getByRole('button', { name, exact: true }).first().waitFor()
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const start = performance.now()
    const check = () => {
      if (document.querySelector(${JSON.stringify(`[data-key^="${rowKey}"]`)})) resolve(performance.now() - start)
      else requestAnimationFrame(check)
    }
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === ${JSON.stringify(name)})
    if (!button) return reject(new Error('no button ' + ${JSON.stringify(name)}))
    button.click()
    requestAnimationFrame(check)
  })`)) as number
}

/** Goes to `hash` in the loaded app (as following a link to the bucket does) and waits for a row whose key starts with `rowKey`. */
async function openByHash(page: Page, hash: string, rowKey: string): Promise<number> {
  return (await page.evaluate(`new Promise((resolve) => {
    const start = performance.now()
    const check = () => {
      if (document.querySelector(${JSON.stringify(`[data-key^="${rowKey}"]`)})) resolve(performance.now() - start)
      else requestAnimationFrame(check)
    }
    location.hash = ${JSON.stringify(hash)}
    requestAnimationFrame(check)
  })`)) as number
}

async function main(): Promise<void> {
  if (!dataDir || !existsSync(dataDir))
    throw new Error('--data DIR: a folder seeded by npm run bench:million -- --data DIR')
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync)
  const startLoad = load()
  const server = await startServer(PEERS.cosLocal, dataDir)
  const ui = /UI\s+(\S+)/.exec(server.output())![1]!
  const bucketTimes: number[] = []
  const topTimes: number[] = []
  const deepTimes: number[] = []
  try {
    const browser = await chromium.launch({ executablePath })
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    for (let r = 0; r < RUNS; r++) {
      await page.goto(`${ui}#/`)
      await page.waitForLoadState('networkidle')
      bucketTimes.push(await openByHash(page, `#/${BUCKET}/`, 'd00/'))
      topTimes.push(await openAndTime(page, 'd07/', 'd07/s0/'))
      deepTimes.push(await openAndTime(page, 's7/', 'd07/s7/k'))
    }
    await browser.close()
  } finally {
    await server.stop()
  }
  const ms = (values: number[]): string => `${Math.round(median(values))} ms`
  const ok = (values: number[]): string => (median(values) < 300 ? '< 300 ms ✅' : '< 300 ms ❌')
  console.log(`\nLoad average at start: ${startLoad}; at the end: ${load()}.\n`)
  console.log('| UI (Chromium, 1440×900), 1,000,000 objects, median of 5 | first rows | goal |')
  console.log('| --- | --: | --- |')
  console.log(`| open the bucket (100 folders) | ${ms(bucketTimes)} | ${ok(bucketTimes)} |`)
  console.log(`| open d07/ (10 folders, 10,000 objects) | ${ms(topTimes)} | ${ok(topTimes)} |`)
  console.log(`| open d07/s7/ (1,000 objects) | ${ms(deepTimes)} | ${ok(deepTimes)} |`)
}

await main()
