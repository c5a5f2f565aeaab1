/**
 * Known state for CI: seed a bucket from a folder, save a snapshot of a whole instance and
 * load it elsewhere (programmatic API, app API through the CLI, offline data folders), and
 * bad input: a dangling file in the seed folder, corrupt, truncated, newer or older archives.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import COS from 'cos-nodejs-sdk-v5'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCosLocal, type CosLocal } from '../../../main/api/index.ts'
import { runCli, startServe } from '../../helpers/serve-process.ts'

const work = mkdtempSync(join(tmpdir(), 'cos-local-snap-'))
const started: CosLocal[] = []
let source: CosLocal
let client: COS
let snapshotFile: string
const Region = 'ap-guangzhou'
const Versioned = 'history-1250000000'
const Plain = 'plain-1250000000'

async function start(options: Parameters<typeof startCosLocal>[0] = {}): Promise<CosLocal> {
  const cos = await startCosLocal({ uiPort: false, ...options })
  started.push(cos)
  return cos
}

async function versionsOf(cos: CosLocal, Bucket: string) {
  const data = await new COS(cos.sdkOptions()).listObjectVersions({ Bucket, Region })
  return {
    versions: data.Versions.map((v) => [v.Key, v.VersionId, v.ETag, v.LastModified, v.IsLatest]),
    markers: data.DeleteMarkers.map((m) => [m.Key, m.VersionId, m.LastModified, m.IsLatest])
  }
}

beforeAll(async () => {
  source = await start()
  client = new COS(source.sdkOptions())
  await client.putBucket({ Bucket: Versioned, Region })
  await client.putBucketVersioning({ Bucket: Versioned, Region, VersioningConfiguration: { Status: 'Enabled' } })
  await client.putObject({ Bucket: Versioned, Region, Key: 'doc.txt', Body: 'first' })
  await client.putObject({ Bucket: Versioned, Region, Key: 'doc.txt', Body: 'second' })
  await client.putObject({ Bucket: Versioned, Region, Key: 'gone.txt', Body: 'x' })
  await client.deleteObject({ Bucket: Versioned, Region, Key: 'gone.txt' })
  await client.putBucket({ Bucket: Plain, Region })
  await client.putBucketTagging({ Bucket: Plain, Region, Tags: [{ Key: 'team', Value: 'qa' }] })
  await client.putObject({
    Bucket: Plain,
    Region,
    Key: '目录/数据 1.json',
    Body: '{"a":1}',
    Headers: { 'x-cos-meta-owner': 'alice', 'Cache-Control': 'no-cache' }
  })
  await client.putObject({ Bucket: Plain, Region, Key: 'big.bin', Body: Buffer.alloc(200 * 1024, 7) })
  await source.functions.create({
    name: 'sizer',
    files: { 'index.js': 'exports.main_handler = async (e) => e.Records[0].cos.cosObject.size' },
    timeout: 5
  })
  await source.triggers.add({ function: 'sizer', bucket: Plain, events: 'cos:ObjectCreated:*', prefix: 'in/' })
  snapshotFile = join(work, 'state.zip')
}, 120_000)

afterAll(async () => {
  await Promise.all(started.map((cos) => cos.stop()))
  rmSync(work, { recursive: true, force: true })
})

describe('seed', () => {
  it('uploads a folder tree under a prefix, then skips what matches and uploads what changed', async () => {
    const dir = join(work, 'seed')
    mkdirSync(join(dir, 'img', 'cats'), { recursive: true })
    writeFileSync(join(dir, 'readme.txt'), 'hello')
    writeFileSync(join(dir, 'img', 'cats', 'tom.jpg'), 'jpeg bytes')
    writeFileSync(join(dir, 'data.json'), '{}')
    const cos = await start({ buckets: ['seeded'] })
    const first = await cos.seed(dir, { bucket: 'seeded', prefix: 'fixtures/' })
    expect(first.uploaded).toEqual(['fixtures/data.json', 'fixtures/img/cats/tom.jpg', 'fixtures/readme.txt'])
    const sdk = new COS(cos.sdkOptions())
    const head = await sdk.headObject({ Bucket: cos.bucket('seeded'), Region, Key: 'fixtures/img/cats/tom.jpg' })
    expect(head.headers?.['content-type']).toBe('image/jpeg')

    writeFileSync(join(dir, 'readme.txt'), 'hello again')
    const second = await cos.seed(dir, { bucket: 'seeded', prefix: 'fixtures/' })
    expect(second).toEqual({
      uploaded: ['fixtures/readme.txt'],
      skipped: ['fixtures/data.json', 'fixtures/img/cats/tom.jpg']
    })
  })

  it('an unreadable file stops the seed with its name, before anything is uploaded', async () => {
    const dir = join(work, 'seed-bad')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'a.txt'), 'a')
    symlinkSync(join(dir, 'nowhere'), join(dir, 'b.txt'))
    const cos = await start({ buckets: ['target'] })
    const error = await cos.seed(dir, { bucket: 'target' }).catch((e: unknown) => e)
    expect(String(error)).toContain(`Cannot read ${join(dir, 'b.txt')} (ENOENT): nothing was uploaded`)
    const list = await new COS(cos.sdkOptions()).getBucket({ Bucket: cos.bucket('target'), Region })
    expect(list.Contents).toEqual([])
  })

  it('the CLI seeds a running instance found through its data folder, and reports COS errors', async () => {
    const dir = join(work, 'seed-cli')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'one.txt'), '1')
    const dataDir = join(work, 'cli-data')
    const server = await startServe(['--data', dataDir, '--port', '0', '--ui-port', '0'])
    try {
      expect((await fetch(`${server.cosEndpoint}/cli-1250000000`, { method: 'PUT' })).status).toBe(200)
      const result = await runCli(['seed', dir, '--bucket', 'cli-1250000000', '--data', dataDir])
      expect(result.stdout).toContain('Seeded cli-1250000000: 1 uploaded, 0 unchanged')
      expect(await (await fetch(`${server.cosEndpoint}/cli-1250000000/one.txt`)).text()).toBe('1')
      const missing = await runCli(['seed', dir, '--bucket', 'absent-1250000000', '--data', dataDir])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain('NoSuchBucket')
    } finally {
      await server.stop()
    }
  })
})

describe('snapshot save and load', () => {
  it('carries buckets with configuration, every version with metadata, functions and triggers', async () => {
    const saved = await source.saveSnapshot(snapshotFile)
    expect(saved.counts).toEqual({ buckets: 2, objects: 6, functions: 1, triggers: 1 })
    expect(saved.formatVersion).toBe(1)

    const copy = await start({ snapshot: snapshotFile })
    expect(await versionsOf(copy, Versioned)).toEqual(await versionsOf(source, Versioned))
    const sdk = new COS(copy.sdkOptions())
    const versioning = await sdk.getBucketVersioning({ Bucket: Versioned, Region })
    expect(versioning.VersioningConfiguration.Status).toBe('Enabled')
    const doc = await sdk.getObject({ Bucket: Plain, Region, Key: '目录/数据 1.json' })
    expect(doc.Body.toString()).toBe('{"a":1}')
    expect(doc.headers?.['x-cos-meta-owner']).toBe('alice')
    expect(doc.headers?.['cache-control']).toBe('no-cache')
    expect(doc.headers?.['content-type']).toBe('application/json')
    const big = await sdk.getObject({ Bucket: Plain, Region, Key: 'big.bin' })
    expect(big.Body.equals(Buffer.alloc(200 * 1024, 7))).toBe(true)
    const tags = await sdk.getBucketTagging({ Bucket: Plain, Region })
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'qa' }])

    expect((await copy.functions.list()).map((fn) => [fn.name, fn.timeout])).toEqual([['sizer', 5]])
    expect((await copy.triggers.list()).map((t) => [t.function, t.bucket, t.event, t.prefix])).toEqual([
      ['sizer', Plain, 'cos:ObjectCreated:*', 'in/']
    ])
    // loading fired nothing; an upload afterwards reaches the loaded function
    const none = await copy.waitForInvocation({ function: 'sizer', timeoutMs: 300 }).catch((e: unknown) => e)
    expect(String(none)).toContain('No invocation')
    await sdk.putObject({ Bucket: Plain, Region, Key: 'in/four.txt', Body: 'four' })
    const run = await copy.waitForInvocation({ function: 'sizer', key: 'in/four.txt', timeoutMs: 20_000 })
    expect(run).toMatchObject({ status: 'succeeded', result: 4 })
  })

  it('refuses to load over existing buckets or functions, changing nothing', async () => {
    const target = await start({ buckets: ['plain'] })
    const error = await target.loadSnapshot(snapshotFile).catch((e: unknown) => e)
    expect(String(error)).toContain('was not loaded (nothing changed)')
    expect(String(error)).toContain(`the target already has bucket(s) ${Plain}`)
    const buckets = await new COS(target.sdkOptions()).getService({})
    expect(buckets.Buckets.map((b) => b.Name)).toEqual([Plain])
    expect(await target.functions.list()).toEqual([])
  })

  it('the CLI saves and loads offline data folders', async () => {
    const from = join(work, 'offline-from')
    const into = join(work, 'offline-into')
    const cos = await start({ dataDir: from, buckets: ['keep'] })
    await new COS(cos.sdkOptions()).putObject({ Bucket: cos.bucket('keep'), Region, Key: 'k.txt', Body: 'kept' })
    await cos.stop()
    const file = join(work, 'offline.zip')
    const saved = await runCli(['snapshot', 'save', file, '--data', from])
    expect(saved.stderr).toBe('')
    expect(saved.stdout).toContain('1 bucket(s), 1 object version(s)')
    const loaded = await runCli(['snapshot', 'load', file, '--data', into])
    expect(loaded.stdout).toContain(`Loaded ${file} (format 1)`)
    const again = await start({ dataDir: into })
    const got = await new COS(again.sdkOptions()).getObject({ Bucket: again.bucket('keep'), Region, Key: 'k.txt' })
    expect(got.Body.toString()).toBe('kept')
  })

  describe('bad archives name the file and the problem, and leave the target as it was', () => {
    let target: CosLocal
    beforeAll(async () => {
      target = await start({ buckets: ['untouched'] })
    })
    const expectRefused = async (file: string, message: string) => {
      const error = await target.loadSnapshot(file).catch((e: unknown) => e)
      expect(String(error)).toContain(file)
      expect(String(error)).toContain(message)
      const buckets = await new COS(target.sdkOptions()).getService({})
      expect(buckets.Buckets.map((b) => b.Name)).toEqual([target.bucket('untouched')])
    }
    const rewrite = (name: string, change: (entries: Record<string, Uint8Array>) => void): string => {
      const entries = unzipSync(readFileSync(snapshotFile))
      change(entries)
      const file = join(work, name)
      writeFileSync(file, zipSync(entries))
      return file
    }

    it('truncated', async () => {
      const bytes = readFileSync(snapshotFile)
      const file = join(work, 'truncated.zip')
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)))
      await expectRefused(file, 'the zip archive is damaged or truncated')
    })

    it('not a zip at all, and a missing file', async () => {
      const file = join(work, 'notes.txt')
      writeFileSync(file, 'hello')
      await expectRefused(file, 'damaged or truncated')
      await expectRefused(join(work, 'absent.zip'), 'Cannot read snapshot')
    })

    it('an object whose bytes changed', async () => {
      const file = rewrite('bitflip.zip', (entries) => {
        const name = Object.keys(entries).find((entry) => entry.startsWith('blobs/'))!
        entries[name] = Uint8Array.from(entries[name]!)
        entries[name][0] ^= 1
      })
      await expectRefused(file, 'its bytes fail the MD5 check')
    })

    it('a part missing, and counts that disagree', async () => {
      await expectRefused(
        rewrite('no-objects.zip', (entries) => delete entries['objects.json']),
        'objects.json is missing from the archive'
      )
      await expectRefused(
        rewrite('short.zip', (entries) => {
          const objects = JSON.parse(strFromU8(entries['objects.json']!)) as unknown[]
          entries['objects.json'] = strToU8(JSON.stringify(objects.slice(1)))
        }),
        'manifest.json counts 6 objects but objects.json holds 5'
      )
    })

    it('a newer and an older format version say exactly why they cannot load', async () => {
      const withVersion = (name: string, version: number) =>
        rewrite(name, (entries) => {
          const manifest = JSON.parse(strFromU8(entries['manifest.json']!)) as Record<string, unknown>
          entries['manifest.json'] = strToU8(JSON.stringify({ ...manifest, formatVersion: version }))
        })
      await expectRefused(
        withVersion('newer.zip', 7),
        'it is snapshot format 7, made by a newer COS Local; this one reads formats 1 to 1. Upgrade cos-local to load it.'
      )
      await expectRefused(withVersion('older.zip', 0), 'it is snapshot format 0; this COS Local reads formats 1 to 1')
    })
  })
})
