/** The object store below HTTP: temp and orphan sweeping, freed blobs, restart. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../../helpers/cos-server.ts'
import type { StorageService } from '../../../main/storage/create-storage.ts'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const open = (dataDir: string, orphanSweepDelayMs = 60_000) => openTestStore(dataDir, { orphanSweepDelayMs })

const ctx = { requestId: 'test', sourceIp: '127.0.0.1', authorization: '' }
const put = (store: StorageService, key: string, body: string | Buffer) =>
  store.putObject(
    'b-1250000000',
    key,
    Readable.from([Buffer.from(body)]),
    { headers: { 'Content-Type': '' }, storageClass: 'STANDARD', contentLength: Buffer.byteLength(body) },
    ctx
  )

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of body) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString()
}

function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'blobs')
  return readdirSync(root).flatMap((dir) => readdirSync(join(root, dir)))
}

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('object store', () => {
  it('removes the blobs of overwritten and deleted objects, small and large', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-store-'))
    dirs.push(dataDir)
    const { store, close } = open(dataDir)
    store.createBucket('b-1250000000', 'ap-guangzhou')
    await put(store, 'k', 'one')
    await put(store, 'k', Buffer.alloc(200 * 1024, 1))
    await put(store, 'gone', 'x')
    store.deleteObject('b-1250000000', 'gone', undefined, ctx)
    await eventually(() => blobFiles(dataDir).length === 1)
    await close()
  })

  it('sweeps temp files at start and orphan blobs in the background, keeping referenced ones', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-store-'))
    dirs.push(dataDir)
    {
      const { store, close } = open(dataDir)
      store.createBucket('b-1250000000', 'ap-guangzhou')
      await put(store, 'kept', 'kept')
      await put(store, 'kept-file', Buffer.alloc(200 * 1024, 2)) // a blob file, not inline
      const upload = store.initiateMultipart('b-1250000000', 'mp', {}, 'STANDARD')
      const part = Buffer.alloc(200 * 1024, 3)
      await store.uploadPart('b-1250000000', 'mp', upload.uploadId, 1, Readable.from([part]), {
        contentLength: part.length
      })
      await close()
    }
    mkdirSync(join(dataDir, 'tmp'), { recursive: true })
    writeFileSync(join(dataDir, 'tmp', 'half-written.tmp'), 'partial')
    mkdirSync(join(dataDir, 'blobs', 'ff'), { recursive: true })
    const orphan = join(dataDir, 'blobs', 'ff', 'ff000000000000000000000000000000')
    writeFileSync(orphan, 'never committed')
    const old = new Date(Date.now() - 60_000)
    const referenced = blobFiles(dataDir).filter((name) => !orphan.endsWith(name))
    expect(referenced).toHaveLength(2) // the object's and the part's
    for (const name of [...referenced, 'ff000000000000000000000000000000'])
      utimesSync(join(dataDir, 'blobs', name.slice(0, 2), name), old, old)

    const { store, close } = open(dataDir, 0)
    expect(readdirSync(join(dataDir, 'tmp'))).toEqual([])
    await eventually(() => !existsSync(orphan))
    const { body } = await store.openObject('b-1250000000', 'kept')
    expect((await text(body)).toString()).toBe('kept')
    expect(blobFiles(dataDir).sort()).toEqual([...referenced].sort())
    const file = await store.openObject('b-1250000000', 'kept-file')
    expect((await text(file.body)).length).toBe(200 * 1024)
    await close()
  })

  it('stops the sweep quietly when closed right after opening', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-store-'))
    dirs.push(dataDir)
    const { close } = open(dataDir, 0)
    await close()
    expect(existsSync(join(dataDir, 'cos-local.db'))).toBe(true)
  })
})
