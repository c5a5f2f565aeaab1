/**
 * Soak suite: mixed load (PUT, GET, list, delete, multipart, and a trigger firing a function
 * on every created object) against the app in a child process, for 10 minutes in full mode.
 * The server's resident memory is sampled; it must stay bounded (the second half's peak
 * within 1.5× the first half's + 32 MiB) and its open file descriptors must come back to
 * where they were once the load stops (no leak).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startAppProcess, type AppProcess } from './helpers/app-process.ts'
import { agent, apiCall, send } from './helpers/http.ts'
import { report, sized } from './helpers/mode.ts'

const DURATION_MS = sized(6_000, 600_000)
const SAMPLE_MS = sized(500, 10_000)
const CLIENTS = 8
const BUCKET = 'soak-1250000000'
const MiB = 1024 * 1024

let app: AppProcess | undefined
const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-soak-'))
afterAll(async () => {
  await app?.stop().catch(() => undefined)
  rmSync(dataDir, { recursive: true, force: true })
})

const rssOf = (pid: number): number =>
  Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
const fdsOf = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length

async function worker(cos: string, id: number, until: number, counts: Record<string, number>): Promise<void> {
  let n = 0
  while (Date.now() < until) {
    const key = `w${id}/k${n % 50}`
    const roll = Math.random()
    let op: string
    if (roll < 0.35) {
      op = 'put'
      const answer = await send(cos, 'PUT', `/${BUCKET}/${key}`, { body: randomBytes(roll < 0.3 ? 2048 : 200_000) })
      expect(answer.status).toBe(200)
    } else if (roll < 0.6) {
      op = 'get'
      expect([200, 404]).toContain((await send(cos, 'GET', `/${BUCKET}/${key}`)).status)
    } else if (roll < 0.75) {
      op = 'list'
      expect((await send(cos, 'GET', `/${BUCKET}?prefix=w${id}/&max-keys=20`)).status).toBe(200)
    } else if (roll < 0.9) {
      op = 'delete'
      expect((await send(cos, 'DELETE', `/${BUCKET}/${key}`)).status).toBe(204)
    } else {
      op = 'multipart'
      const init = await send(cos, 'POST', `/${BUCKET}/${key}-mp?uploads`)
      const uploadId = /<UploadId>([^<]+)</.exec(init.body.toString())![1]!
      const parts = [randomBytes(MiB), randomBytes(1000)]
      const etags: string[] = []
      for (const [i, part] of parts.entries())
        etags.push(
          String(
            (await send(cos, 'PUT', `/${BUCKET}/${key}-mp?partNumber=${i + 1}&uploadId=${uploadId}`, { body: part }))
              .headers.etag
          )
        )
      const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`
      expect((await send(cos, 'POST', `/${BUCKET}/${key}-mp?uploadId=${uploadId}`, { body: xml })).status).toBe(200)
    }
    counts[op] = (counts[op] ?? 0) + 1
    n++
  }
}

it.skipIf(process.platform !== 'linux')(
  `${DURATION_MS / 1000}s of mixed load: bounded RSS, no file descriptor leak`,
  async () => {
    app = await startAppProcess(dataDir)
    const pid = app.child.pid!
    expect((await send(app.cos, 'PUT', `/${BUCKET}`)).status).toBe(200)
    await apiCall(app.api, app.token, 'POST', '/api/functions', {
      name: 'soak-fn',
      code: {
        type: 'files',
        files: {
          'index.js': 'exports.main_handler = async (e) => e.Records.length',
          'package.json': '{"type":"commonjs"}'
        }
      }
    })
    await apiCall(app.api, app.token, 'POST', '/api/triggers', {
      functionName: 'soak-fn',
      bucket: BUCKET,
      event: 'cos:ObjectCreated:*'
    })

    const counts: Record<string, number> = {}
    // warm-up, then the baseline
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => worker(app!.cos, id, Date.now() + 2000, counts)))
    agent.destroy() // the client's idle keep-alive sockets are open fds of the server too
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const fdsStart = fdsOf(pid)
    const samples: { t: number; rss: number; fds: number }[] = []
    const started = Date.now()
    const sampler = setInterval(
      () => samples.push({ t: Date.now() - started, rss: rssOf(pid), fds: fdsOf(pid) }),
      SAMPLE_MS
    )
    samples.push({ t: 0, rss: rssOf(pid), fds: fdsStart })
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => worker(app!.cos, id, started + DURATION_MS, counts)))
    clearInterval(sampler)
    samples.push({ t: Date.now() - started, rss: rssOf(pid), fds: fdsOf(pid) })
    agent.destroy()
    await new Promise((resolve) => setTimeout(resolve, 3000)) // deliveries drain, sockets close
    const fdsEnd = fdsOf(pid)

    const half = Math.floor(samples.length / 2)
    const peak = (list: typeof samples) => Math.max(...list.map((s) => s.rss))
    const firstPeak = peak(samples.slice(0, Math.max(1, half)))
    const secondPeak = peak(samples.slice(half))
    const mib = (bytes: number) => +(bytes / MiB).toFixed(1)
    report('soak', {
      seconds: DURATION_MS / 1000,
      operations: counts,
      rssStartMiB: mib(samples[0]!.rss),
      rssEndMiB: mib(samples.at(-1)!.rss),
      rssPeakMiB: mib(Math.max(firstPeak, secondPeak)),
      fdsStart,
      fdsEnd,
      samples: samples.length
    })
    expect(secondPeak).toBeLessThanOrEqual(firstPeak * 1.5 + 32 * MiB)
    expect(fdsEnd).toBeLessThanOrEqual(fdsStart + 8)
  },
  900_000
)
