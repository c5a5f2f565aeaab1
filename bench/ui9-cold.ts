/** Cold loads: a new browser context (empty HTTP and code cache) per load of the bucket's address. */
import { chromium } from 'playwright-core'
import os from 'node:os'
import { BUCKET } from './client.ts'
import { median } from './load.ts'
import { PEERS, startServer } from './servers.ts'
const N = Number(process.argv[2] ?? 6)
const server = await startServer(PEERS.cosLocal, '/work/million-data')
const ui = /UI\s+(\S+)/.exec(server.output())![1]!
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' })
const times: number[] = [], main: number[] = [], proc: number[] = []
for (let r = 0; r < N; r++) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  await page.addInitScript(`{ const check = () => { if (!document.querySelector('[data-key^="d00/"]')) return requestAnimationFrame(check); window.__firstRows = performance.now(); console.debug('cos-bench-first-rows') }; requestAnimationFrame(check) }`)
  await page.goto('about:blank')
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  const m = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((x) => [x.name, x.value]))
  const before = await m()
  const rows = page.waitForEvent('console', { predicate: (msg) => msg.text() === 'cos-bench-first-rows' })
  await page.goto(`${ui}#/${BUCKET}/`)
  await rows
  const after = await m()
  times.push((await page.evaluate('window.__firstRows')) as number)
  main.push((after.ThreadTime - before.ThreadTime) * 1000)
  proc.push((after.ProcessTime - before.ProcessTime) * 1000)
  await context.close()
}
console.log(`cold: first rows ${Math.round(median(times))} ms [${times.map(Math.round).join(' ')}], main ${Math.round(median(main))} ms, process ${Math.round(median(proc))} ms, load ${os.loadavg()[0].toFixed(2)}`)
await browser.close()
await server.stop()
