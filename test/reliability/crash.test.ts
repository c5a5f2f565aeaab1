/**
 * Crash suite: 64 clients PUT, multipart-upload and delete against the app in a child
 * process, which is killed with SIGKILL at a random moment, round after round on the same
 * data folder. After each restart: every acknowledged write is there with its MD5 (or gone,
 * if its delete was acknowledged), nothing unacknowledged is visible in part (every visible
 * body is exactly one a client sent for that key). At the end every acknowledged change's
 * event has reached a recording function at least once (duplicates counted).
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startAppProcess, type AppProcess } from './helpers/app-process.ts'
import { apiCall, send } from './helpers/http.ts'
import { report, sized } from './helpers/mode.ts'

const ROUNDS = sized(1, 10)
const CLIENTS = sized(16, 64)
const LOAD_MS: [number, number] = sized([800, 1500], [2000, 6000])
const BUCKET = 'crash-1250000000'
const MiB = 1024 * 1024

const dataDir = mkdtempSync(join(tmpdir(), 'cos-local-crash-suite-'))
const recordFile = join(dataDir, '..', `${dataDir.split('/').pop()}-events.jsonl`)
let app: AppProcess | undefined
afterAll(async () => {
  await app?.kill9()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(recordFile, { force: true })
})

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex')

interface KeyState {
  /** MD5 after the last acknowledged change (null: deleted / never written). */
  acked: string | null
  /** Results an unacknowledged change in flight at the kill may have left (MD5 or null). */
  maybe: Set<string | null>
  /** Every body MD5 ever sent for this key. */
  sent: Set<string>
}

const keys = new Map<string, KeyState>()
/** x-cos-request-id of every acknowledged change → the event name family expected. */
const ackedChanges = new Map<string, 'created' | 'removed'>()
let acknowledged = 0

function stateOf(key: string): KeyState {
  let state = keys.get(key)
  if (!state) keys.set(key, (state = { acked: null, maybe: new Set(), sent: new Set() }))
  return state
}

function bodyFor(rand: number): Buffer {
  // inline-sized (<= 64 KiB) and blob-file-sized bodies
  return randomBytes(rand < 0.6 ? 1 + Math.floor(Math.random() * 60_000) : 70_000 + Math.floor(Math.random() * 400_000))
}

async function putObject(cos: string, key: string): Promise<void> {
  const body = bodyFor(Math.random())
  const state = stateOf(key)
  const sum = md5(body)
  state.sent.add(sum)
  state.maybe.add(sum)
  const answer = await send(cos, 'PUT', `/${BUCKET}/${key}`, { body, headers: { 'content-length': body.length } })
  if (answer.status !== 200) throw new Error(`PUT ${answer.status}`)
  expect(answer.headers.etag).toBe(`"${sum}"`)
  state.acked = sum
  state.maybe.clear()
  ackedChanges.set(String(answer.headers['x-cos-request-id']), 'created')
  acknowledged++
}

async function multipart(cos: string, key: string): Promise<void> {
  const parts = [randomBytes(MiB), randomBytes(1 + Math.floor(Math.random() * 200_000))]
  const whole = Buffer.concat(parts)
  const state = stateOf(key)
  const sum = md5(whole)
  state.sent.add(sum)
  state.maybe.add(sum)
  const init = await send(cos, 'POST', `/${BUCKET}/${key}?uploads`)
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body.toString())?.[1]
  if (!uploadId) throw new Error(`initiate ${init.status}`)
  const etags: string[] = []
  for (const [index, part] of parts.entries()) {
    const answer = await send(cos, 'PUT', `/${BUCKET}/${key}?partNumber=${index + 1}&uploadId=${uploadId}`, {
      body: part
    })
    if (answer.status !== 200) throw new Error(`part ${answer.status}`)
    etags.push(String(answer.headers.etag))
  }
  const xml =
    '<CompleteMultipartUpload>' +
    etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('') +
    '</CompleteMultipartUpload>'
  const done = await send(cos, 'POST', `/${BUCKET}/${key}?uploadId=${uploadId}`, { body: xml })
  if (done.status !== 200 || !done.body.toString().includes('CompleteMultipartUploadResult'))
    throw new Error(`complete ${done.status}`)
  state.acked = sum
  state.maybe.clear()
  ackedChanges.set(String(done.headers['x-cos-request-id']), 'created')
  acknowledged++
}

async function deleteObject(cos: string, key: string): Promise<void> {
  const state = stateOf(key)
  state.maybe.add(null)
  const answer = await send(cos, 'DELETE', `/${BUCKET}/${key}`)
  if (answer.status !== 204) throw new Error(`DELETE ${answer.status}`)
  const existed = state.acked !== null
  state.acked = null
  state.maybe.clear()
  if (existed) ackedChanges.set(String(answer.headers['x-cos-request-id']), 'removed')
  acknowledged++
}

/** One client's loop until the server dies: its own keys, so their state is well defined. */
async function client(cos: string, id: number, round: number): Promise<void> {
  for (let n = 0; ; n++) {
    const key = `c${id}/k${n % 6}`
    const roll = Math.random()
    try {
      if (roll < 0.15) await deleteObject(cos, key)
      else if (roll < 0.22) await multipart(cos, `c${id}/mp-r${round}-${n}`)
      else await putObject(cos, key)
    } catch {
      return // the server was killed mid-request: the change stays "maybe"
    }
  }
}

async function verify(cos: string): Promise<{ checked: number; lost: number }> {
  let lost = 0
  for (const [key, state] of keys) {
    const answer = await send(cos, 'GET', `/${BUCKET}/${key}`)
    const visible = answer.status === 200 ? md5(answer.body) : answer.status === 404 ? null : `status ${answer.status}`
    const allowed = new Set<string | null>([state.acked, ...state.maybe])
    if (!allowed.has(visible)) {
      lost++
      expect.soft(visible === null || state.sent.has(visible), `${key}: a body no client sent (partial?)`).toBe(true)
      expect.soft(allowed, `${key}: visible ${visible}`).toContain(visible)
    }
    // settle: what is visible now is the acknowledged state from here on
    state.acked = visible
    state.maybe.clear()
  }
  return { checked: keys.size, lost }
}

const RECORDER = `
const fs = require('node:fs')
exports.main_handler = async (event) => {
  for (const r of event.Records)
    fs.appendFileSync(process.env.RECORD_FILE, JSON.stringify({ name: r.event.eventName, rid: r.cos.cosObject.meta['x-cos-request-id'] }) + '\\n')
  return 'recorded'
}
`

it(`${ROUNDS} rounds of kill -9 under ${CLIENTS} clients: nothing acknowledged lost, nothing partial, every event delivered`, async () => {
  app = await startAppProcess(dataDir)
  expect((await send(app.cos, 'PUT', `/${BUCKET}`)).status).toBe(200)
  await apiCall(app.api, app.token, 'POST', '/api/functions', {
    name: 'recorder',
    code: { type: 'files', files: { 'index.js': RECORDER, 'package.json': '{"type":"commonjs"}' } },
    env: { RECORD_FILE: recordFile },
    timeout: 30
  })
  for (const event of ['cos:ObjectCreated:*', 'cos:ObjectRemove:*'])
    await apiCall(app.api, app.token, 'POST', '/api/triggers', { functionName: 'recorder', bucket: BUCKET, event })

  let lost = 0
  for (let round = 0; round < ROUNDS; round++) {
    const running = app
    const clients = Array.from({ length: CLIENTS }, (_, id) => client(running.cos, id, round))
    const [min, max] = LOAD_MS
    await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)))
    await running.kill9()
    await Promise.all(clients)
    app = await startAppProcess(dataDir)
    lost += (await verify(app.cos)).lost
  }
  expect(lost).toBe(0)

  // Every acknowledged change's event reaches the function at least once.
  const deadline = Date.now() + sized(60_000, 300_000)
  let seen = new Map<string, number>()
  for (;;) {
    seen = new Map()
    if (existsSync(recordFile))
      for (const line of readFileSync(recordFile, 'utf8').split('\n')) {
        if (!line) continue
        const { rid } = JSON.parse(line) as { rid: string }
        seen.set(rid, (seen.get(rid) ?? 0) + 1)
      }
    const missing = [...ackedChanges.keys()].filter((rid) => !seen.has(rid))
    if (missing.length === 0 || Date.now() > deadline) break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const missing = [...ackedChanges.keys()].filter((rid) => !seen.has(rid)).length
  const duplicates = [...seen.values()].reduce((sum, count) => sum + count - 1, 0)
  report('crash', {
    rounds: ROUNDS,
    clients: CLIENTS,
    acknowledged,
    lost,
    keys: keys.size,
    ackedChangeEvents: ackedChanges.size,
    eventsMissing: missing,
    duplicateDeliveries: duplicates
  })
  expect(missing).toBe(0)
  expect(acknowledged).toBeGreaterThan(0)
}, 900_000)
