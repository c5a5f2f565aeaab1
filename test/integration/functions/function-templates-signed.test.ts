/**
 * The COS-calling templates against an instance that verifies signatures and runs its clock
 * 60× fast, two hours ahead: functions get TENCENTCLOUD_SECRETID/SECRETKEY as SCF gives a function with a
 * role, the templates' COS client signs with them and re-signs on the server's clock after a
 * RequestTimeTooSkewed / expired answer, as the official SDKs do.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { createSystemClock } from '../../../main/core/clock.ts'
import type { Invocation } from '../../../preload/contract/invocations.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'

const Bucket = 'signed-1250000000'
const Region = 'ap-guangzhou'
const credentials = { secretId: 'AKIDsignedTemplates', secretKey: 'signed-templates-secret' }
let app: App
let dataDir: string
let cos: COS
const api = appApiClient(() => app)

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-templates-signed-'))
  // The emulated clock starts two hours ahead and runs 60× fast, so a request signed on the
  // function's own clock is refused at first.
  const clock = createSystemClock(60, () => Date.now() + 2 * 3600_000)
  app = await createApp({ dataDir, port: 0, uiPort: 0, credentials: [credentials], clock })
  cos = new COS({
    SecretId: credentials.secretId,
    SecretKey: credentials.secretKey,
    Protocol: 'http:',
    Ip: `127.0.0.1:${app.cosPort}`
  })
  await cos.putBucket({ Bucket, Region })
})

afterAll(async () => {
  await app?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

it('an unsigned request is refused here, so the templates must sign', async () => {
  const response = await fetch(`http://127.0.0.1:${app.cosPort}/${Bucket}/anything`)
  expect(response.status).toBe(403)
})

it.each(['nodejs', 'python'])('%s thumbnail template signs its GET and PUT on the sped-up clock', async (runtime) => {
  const name = `${runtime}-signed-thumbs`
  await api('POST', '/api/functions', {
    name,
    code: { type: 'template', template: `${runtime}-thumbnail` },
    timeout: 20
  })
  await api('POST', '/api/triggers', {
    functionName: name,
    bucket: Bucket,
    event: 'cos:ObjectCreated:Put',
    prefix: `${runtime}/`
  })
  const key = `${runtime}/photo one.jpg`
  const since = app.clock.now()
  await cos.putObject({ Bucket, Region, Key: key, Body: Buffer.from('not really a jpeg') })
  const invocation = await api<Invocation>(
    'GET',
    `/api/wait?function=${name}&key=${encodeURIComponent(key)}&since=${since}&timeout=30000`
  )
  expect(invocation.status, JSON.stringify(invocation)).toBe('succeeded')
  const written = await cos.getObject({ Bucket, Region, Key: `thumbnails/${key}.txt` })
  expect(written.Body.toString()).toBe(`thumbnail of ${key}: 17 bytes, first bytes 6e6f74207265616c6c792061206a7065`)
})
