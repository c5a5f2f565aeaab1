/**
 * WAL checkpoints on their own thread: the main connection's automatic checkpoints are off
 * while the thread runs, the thread copies committed pages into the database file, the WAL
 * starts over instead of growing without end under a steady stream of commits, and the
 * data is all there after a restart.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
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
    const { store, db, close } = openTestStore(dataDir, { orphanSweepDelayMs: 60_000 })
    const autoCheckpoint = (): number =>
      (db.pragma('wal_autocheckpoint') as { wal_autocheckpoint: number }[])[0]!.wal_autocheckpoint
    await until(() => autoCheckpoint() === 0)
    store.createBucket(BUCKET, 'ap-guangzhou')
    const fileBefore = sizeOf(dbFile)
    const body = Buffer.alloc(4096, 1)
    let maxWal = 0
    // ~12,000 WAL pages in groups of 16 concurrent PUTs: three times the limit
    for (let round = 0; round < 400; round++) {
      await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          store.putObject(
            BUCKET,
            `k/${round}/${i}`,
            Readable.from([body]),
            { headers: { 'Content-Type': 'application/octet-stream' }, storageClass: 'STANDARD' },
            ctx
          )
        )
      )
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
})
