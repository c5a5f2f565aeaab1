/**
 * Files and folders from disk (what the desktop app gets from an OS drop or a native picker)
 * upload through the COS API with their tree kept, fire the bucket's trigger like any client's
 * PUT, and objects download back to a temp file for dragging out to the OS.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import COS from 'cos-nodejs-sdk-v5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../main/app.ts'
import { downloadToTemp, fileNameForKey } from '../../../main/disk/download-object.ts'
import type { DiskUploadResponse } from '../../../preload/contract/disk.ts'
import type { Invocation, InvocationDetail } from '../../../preload/contract/invocations.ts'
import { appApiClient } from '../../helpers/app-api-client.ts'
import { cosClient } from '../../helpers/cos-server.ts'

const Bucket = 'drops-1250000000'
const Region = 'ap-guangzhou'
let app: App
let dataDir: string
let disk: string
const api = appApiClient(() => app)

async function keys(prefix = ''): Promise<string[]> {
  const listed = await cosClient(app.cosPort).getBucket({ Bucket, Region, Prefix: prefix })
  return listed.Contents.map((item) => item.Key).sort()
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cos-local-disk-'))
  disk = mkdtempSync(join(tmpdir(), 'cos-local-disk-src-'))
  app = await createApp({ dataDir, port: 0, uiPort: 0 })
  await cosClient(app.cosPort).putBucket({ Bucket, Region })
  // A dropped folder: photos/{a.jpg, trips/b.jpg, 中文 名.txt}, a loop back to itself, and one big file.
  mkdirSync(join(disk, 'photos', 'trips'), { recursive: true })
  writeFileSync(join(disk, 'photos', 'a.jpg'), 'jpeg-a')
  writeFileSync(join(disk, 'photos', 'trips', 'b.jpg'), 'jpeg-b')
  writeFileSync(join(disk, 'photos', '中文 名.txt'), '你好')
  symlinkSync(join(disk, 'photos'), join(disk, 'photos', 'trips', 'loop'))
  writeFileSync(join(disk, 'big.bin'), Buffer.alloc(12 * 1024 * 1024, 7))
})

afterAll(async () => {
  await app.stop()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(disk, { recursive: true, force: true })
})

describe('POST /api/disk/upload', () => {
  it('uploads a dropped folder with its tree under the current prefix, and a large file streamed from disk', async () => {
    const result = await api<DiskUploadResponse>('POST', '/api/disk/upload', {
      bucket: Bucket,
      prefix: 'inbox/',
      paths: [join(disk, 'photos'), join(disk, 'big.bin')]
    })
    expect(result.failed).toEqual([])
    expect(result.uploaded.map((item) => item.key)).toEqual([
      'inbox/big.bin',
      'inbox/photos/a.jpg',
      'inbox/photos/trips/b.jpg',
      'inbox/photos/中文 名.txt'
    ])
    expect(await keys('inbox/')).toEqual(result.uploaded.map((item) => item.key))
    const object = await cosClient(app.cosPort).getObject({ Bucket, Region, Key: 'inbox/photos/中文 名.txt' })
    expect(object.Body.toString()).toBe('你好')
    expect(object.headers?.['content-type']).toBe('text/plain')
    const big = await cosClient(app.cosPort).headObject({ Bucket, Region, Key: 'inbox/big.bin' })
    expect(big.headers?.['content-length']).toBe(String(12 * 1024 * 1024))
  })

  it('fires the bucket trigger like any client PUT, and the function logs the key', async () => {
    await api('POST', '/api/functions', {
      name: 'drop-printer',
      code: { type: 'template', template: 'nodejs-print-event' }
    })
    await api('POST', '/api/triggers', {
      functionName: 'drop-printer',
      bucket: Bucket,
      event: 'cos:ObjectCreated:*',
      prefix: 'dropped/'
    })
    const since = Date.now()
    await api('POST', '/api/disk/upload', {
      bucket: Bucket,
      prefix: 'dropped/',
      paths: [join(disk, 'photos', 'a.jpg')]
    })
    const invocation = await api<Invocation>(
      'GET',
      `/api/wait?function=drop-printer&key=${encodeURIComponent('dropped/a.jpg')}&since=${since}&timeout=30000`
    )
    expect(invocation.status).toBe('succeeded')
    const detail = await api<InvocationDetail>('GET', `/api/invocations/${invocation.requestId}`)
    const logs = detail.logs.map((line) => line.text).join('\n')
    expect(logs).toContain('dropped/a.jpg')
    expect(logs).toContain('cos:ObjectCreated:Put')
  })

  it('applies the upload options: storage class, x-cos-meta-* metadata, skip existing keys', async () => {
    const options = { bucket: Bucket, prefix: 'opts/', paths: [join(disk, 'photos', 'a.jpg')] }
    const first = await api<DiskUploadResponse>('POST', '/api/disk/upload', {
      ...options,
      storageClass: 'STANDARD_IA',
      meta: { project: 'demo' }
    })
    expect(first.uploaded.map((item) => item.key)).toEqual(['opts/a.jpg'])
    const head = await cosClient(app.cosPort).headObject({ Bucket, Region, Key: 'opts/a.jpg' })
    expect(head.headers?.['x-cos-storage-class']).toBe('STANDARD_IA')
    expect(head.headers?.['x-cos-meta-project']).toBe('demo')
    const again = await api<DiskUploadResponse>('POST', '/api/disk/upload', { ...options, skipExisting: true })
    expect(again).toMatchObject({ uploaded: [], failed: [] })
    expect(again.skipped.map((item) => item.key)).toEqual(['opts/a.jpg'])
  })

  it('reports paths it cannot read and relative paths, uploading the rest', async () => {
    const result = await api<DiskUploadResponse>('POST', '/api/disk/upload', {
      bucket: Bucket,
      prefix: '',
      paths: [join(disk, 'missing.txt'), 'relative/path.txt', join(disk, 'photos', 'trips', 'b.jpg')]
    })
    expect(result.uploaded.map((item) => item.key)).toEqual(['b.jpg'])
    expect(result.failed.map((item) => item.path)).toEqual([join(disk, 'missing.txt'), 'relative/path.txt'])
    expect(result.failed[1]!.message).toContain('Not an absolute path')
  })

  it('answers a bad request and a missing bucket with readable errors', async () => {
    await expect(
      api('POST', '/api/disk/upload', { bucket: Bucket, prefix: 'no-slash', paths: [disk] })
    ).rejects.toThrow(/400 InvalidRequest: prefix: must be empty or end with \//)
    const result = await api<DiskUploadResponse>('POST', '/api/disk/upload', {
      bucket: 'nope-1250000000',
      prefix: '',
      paths: [join(disk, 'photos', 'a.jpg')]
    })
    expect(result.failed[0]!.message).toContain('NoSuchBucket')
  })
})

describe('dragging an object out: download to a temp file', () => {
  it('writes the object to a file named after the key', async () => {
    const file = await downloadToTemp(
      { endpoint: app.cosEndpoint },
      { bucket: Bucket, key: 'inbox/photos/trips/b.jpg' }
    )
    try {
      expect(basename(file)).toBe('b.jpg')
      expect(readFileSync(file, 'utf8')).toBe('jpeg-b')
    } finally {
      rmSync(dirname(file), { recursive: true, force: true })
    }
  })

  it('fails with the COS error code and leaves no temp folder behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cos-local-drag-root-'))
    try {
      await expect(
        downloadToTemp({ endpoint: app.cosEndpoint }, { bucket: Bucket, key: 'nope.txt' }, root)
      ).rejects.toThrow(/NoSuchKey/)
      expect(readdirSync(root)).toEqual([])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('makes file names safe on every OS', () => {
    expect(fileNameForKey('a/b/report.pdf')).toBe('report.pdf')
    expect(fileNameForKey('folder/')).toBe('folder')
    expect(fileNameForKey('x/a:b*c?.txt')).toBe('a_b_c_.txt')
    expect(fileNameForKey('con.txt')).toBe('_con.txt')
    expect(fileNameForKey('..')).toBe('object')
    expect(fileNameForKey('trailing. ')).toBe('trailing')
  })
})

describe('signature-verifying mode', () => {
  it('signs its own COS requests (q-sign) when credentials are configured', async () => {
    const signedData = mkdtempSync(join(tmpdir(), 'cos-local-disk-signed-'))
    const credentials = { secretId: 'AKIDdisktest', secretKey: 'disk-secret' }
    const signed = await createApp({ dataDir: signedData, port: 0, uiPort: 0, credentials: [credentials] })
    try {
      const call = appApiClient(() => signed)
      const cos = new COS({
        SecretId: credentials.secretId,
        SecretKey: credentials.secretKey,
        Protocol: 'http:',
        Ip: `127.0.0.1:${signed.cosPort}`
      })
      await cos.putBucket({ Bucket, Region })
      const result = await call<DiskUploadResponse>('POST', '/api/disk/upload', {
        bucket: Bucket,
        prefix: 'signed/',
        paths: [join(disk, 'photos', 'trips')]
      })
      expect(result.failed).toEqual([])
      // Symlinked folders are followed (trips/loop → photos), but never into a folder already walked.
      expect(result.uploaded.map((item) => item.key)).toEqual([
        'signed/trips/b.jpg',
        'signed/trips/loop/a.jpg',
        'signed/trips/loop/中文 名.txt'
      ])
      const file = await downloadToTemp(
        { endpoint: signed.cosEndpoint, credentials },
        { bucket: Bucket, key: 'signed/trips/b.jpg' }
      )
      expect(readFileSync(file, 'utf8')).toBe('jpeg-b')
      rmSync(dirname(file), { recursive: true, force: true })
      await expect(
        downloadToTemp({ endpoint: signed.cosEndpoint }, { bucket: Bucket, key: 'signed/trips/b.jpg' })
      ).rejects.toThrow(/AccessDenied|403/)
    } finally {
      await signed.stop()
      rmSync(signedData, { recursive: true, force: true })
    }
  })
})
