/**
 * WAL checkpoints on their own thread: the main connection's automatic checkpoints are off
 * while the thread runs, the thread copies committed pages into the database file, the WAL
 * starts over instead of growing without end under a steady stream of commits, and the
 * data is all there after a restart. Commits spaced out in time do not each start the WAL over
 * (that costs the commit an fsync of the WAL header on the event loop). A clean close leaves an
 * empty WAL.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../../helpers/cos-server.ts'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const BUCKET = 'wal-1250000000'
const ctx = { requestId: 'r', sourceIp: '127.0.0.1', authorization: '' }
const sizeOf = (file: string): number => (existsSync(file) ? statSync(file).size : 0)
const put = (store: ReturnType<typeof openTestStore>['store'], key: string, body: Buffer) =>
  store.putObject(
    BUCKET,
    key,
    Readable.from([body]),
    { headers: { 'Content-Type': 'application/octet-stream' }, storageClass: 'STANDARD' },
    ctx
  )
/** The WAL header's salts: SQLite draws new ones each time the WAL starts over from its beginning. */
function walSalts(file: string): string {
  const fd = openSync(file, 'r')
  try {
    const header = Buffer.alloc(32)
    readSync(fd, header, 0, 32, 0)
    return header.subarray(16, 24).toString('hex')
  } finally {
    closeSync(fd)
  }
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('WAL checkpoint thread', () => {
  it('checkpoints beside a stream of commits, keeps the WAL bounded, and loses nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-wal-'))
    dirs.push(dataDir)
    const dbFile = join(dataDir, 'cos-local.db')
    // the limit of earlier versions (the default is 16,384 frames: the same test would run four times longer)
    const { store, db, close } = openTestStore(dataDir, { orphanSweepDelayMs: 60_000, walLimitFrames: 4096 })
    const autoCheckpoint = (): number =>
      (db.pragma('wal_autocheckpoint') as { wal_autocheckpoint: number }[])[0]!.wal_autocheckpoint
    await until(() => autoCheckpoint() === 0)
    store.createBucket(BUCKET, 'ap-guangzhou')
    const fileBefore = sizeOf(dbFile)
    const body = Buffer.alloc(4096, 1)
    let maxWal = 0
    // ~12,000 WAL pages in groups of 16 concurrent PUTs: three times the limit (each time the
    // commits are held while the thread copies the last frames, then the WAL starts over)
    for (let round = 0; round < 400; round++) {
      await Promise.all(Array.from({ length: 16 }, (_, i) => put(store, `k/${round}/${i}`, body)))
      maxWal = Math.max(maxWal, sizeOf(`${dbFile}-wal`))
    }
    // the thread copied pages into the database file while the main connection never checkpointed
    await until(() => sizeOf(dbFile) > fileBefore + 16 * 1024 * 1024)
    expect(maxWal).toBeLessThan(32 * 1024 * 1024)
    await close()

    const reopened = openTestStore(dataDir, { orphanSweepDelayMs: 60_000 })
    const page = reopened.store.listObjects(BUCKET, { prefix: 'k/399/', delimiter: '', marker: '', maxKeys: 100 })
    expect(page.contents).toHaveLength(16)
    await reopened.close()
  })

  it('leaves a small WAL alone: commits a few ms apart append to it instead of starting it over', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-wal-'))
    dirs.push(dataDir)
    const { store, db, close } = openTestStore(dataDir, { orphanSweepDelayMs: 60_000 })
    await until(
      () => (db.pragma('wal_autocheckpoint') as { wal_autocheckpoint: number }[])[0]!.wal_autocheckpoint === 0
    )
    store.createBucket(BUCKET, 'ap-guangzhou')
    await put(store, 'first', Buffer.from('x'))
    const salts = walSalts(join(dataDir, 'cos-local.db-wal'))
    // each pause gives the thread time for a checkpoint (it looks 20 ms after the WAL grew)
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 60))
      await put(store, `spaced/${i}`, Buffer.from('x'))
    }
    expect(walSalts(join(dataDir, 'cos-local.db-wal'))).toBe(salts)
    await close()
  })

  it('empties the WAL at a clean close, so the next start has no log to read back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-wal-'))
    dirs.push(dataDir)
    const wal = join(dataDir, 'cos-local.db-wal')
    const { store, close } = openTestStore(dataDir, { orphanSweepDelayMs: 60_000 })
    store.createBucket(BUCKET, 'ap-guangzhou')
    const body = Buffer.alloc(4096, 2)
    for (let round = 0; round < 20; round++)
      await Promise.all(Array.from({ length: 16 }, (_, i) => put(store, `c/${round}/${i}`, body)))
    expect(sizeOf(wal)).toBeGreaterThan(320 * 4096)
    await close()
    expect(sizeOf(wal)).toBe(0)

    const reopened = openTestStore(dataDir, { orphanSweepDelayMs: 60_000 })
    const page = reopened.store.listObjects(BUCKET, { prefix: 'c/19/', delimiter: '', marker: '', maxKeys: 100 })
    expect(page.contents).toHaveLength(16)
    await reopened.close()
  })
})
