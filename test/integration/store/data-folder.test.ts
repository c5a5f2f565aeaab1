/**
 * The data folder on disk: private modes for secrets (instance.json, app-state.json) and the
 * folder itself, and clear messages for a damaged cos-local.db or app-state.json.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AppState } from '../../../main/store/app-state.ts'
import { openDatabase } from '../../../main/store/db.ts'
import { runCli, startServe } from '../../helpers/serve-process.ts'

const root = mkdtempSync(join(tmpdir(), 'cos-local-datafolder-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const mode = (path: string): number => statSync(path).mode & 0o777
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

describe.skipIf(process.platform === 'win32')('secrets on disk', () => {
  it('serve creates the data folder 0700 and instance.json 0600 (even over a stale 0644 one)', async () => {
    const dataDir = join(root, 'fresh', 'data')
    const server = await startServe(['--data', dataDir, '--port', '0', '--ui-port', '0'])
    try {
      expect(mode(dataDir)).toBe(0o700)
      expect(mode(join(dataDir, 'instance.json'))).toBe(0o600)
      expect(JSON.parse(readFileSync(join(dataDir, 'instance.json'), 'utf8')).token).toMatch(/^[0-9a-f]{48}$/)
    } finally {
      expect(await server.stop()).toBe(0)
    }
    writeFileSync(join(dataDir, 'instance.json'), '{}', { mode: 0o644 })
    const again = await startServe(['--data', dataDir, '--port', '0', '--ui-port', '0'])
    try {
      expect(mode(join(dataDir, 'instance.json'))).toBe(0o600)
    } finally {
      await again.stop()
    }
  })

  it('app-state.json (function environments) is written 0600; an existing data folder keeps its mode', () => {
    const dataDir = join(root, 'existing')
    mkdirSync(dataDir, { mode: 0o755 })
    const state = new AppState(dataDir)
    state.update((data) => data.triggers.splice(0))
    expect(mode(join(dataDir, 'app-state.json'))).toBe(0o600)
    expect(mode(dataDir)).toBe(0o755)
  })
})

describe('a damaged data folder', () => {
  const serveIn = (dataDir: string) => runCli(['serve', '--data', dataDir, '--port', '0', '--ui-port', '0'])

  it('a foreign cos-local.db: names the file, the problem and the ways out; the file is untouched', async () => {
    const dataDir = join(root, 'foreign')
    mkdirSync(dataDir)
    const db = join(dataDir, 'cos-local.db')
    writeFileSync(db, 'these are my holiday notes, not a database\n'.repeat(50))
    const before = sha(db)
    const result = await serveIn(dataDir)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${db} is damaged: it is not an SQLite database`)
    expect(result.stderr).toContain('COS Local has not changed it')
    expect(result.stderr).toContain(`mv '${db}' '${db}.damaged-`)
    expect(result.stderr).toContain('restore the data folder')
    expect(sha(db)).toBe(before)
  })

  it('a truncated cos-local.db: says it is truncated and how long it should be', async () => {
    const dataDir = join(root, 'truncated')
    const db = openDatabase(dataDir)
    db.exec('CREATE TABLE filler (x TEXT)')
    const insert = db.prepare('INSERT INTO filler VALUES (?)')
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000))
    db.pragma('wal_checkpoint(TRUNCATE)') // all pages in the main file, as in a copied folder
    db.close()
    const file = join(dataDir, 'cos-local.db')
    truncateSync(file, Math.floor(statSync(file).size / 2))
    const before = sha(file)
    const result = await serveIn(dataDir)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/cos-local\.db is damaged: it is truncated \(\d+ bytes; its header counts \d+ pages/)
    expect(sha(file)).toBe(before)
  })

  it('a malformed app-state.json: names the file and the JSON error; the file is untouched', async () => {
    const dataDir = join(root, 'badstate')
    mkdirSync(dataDir)
    const file = join(dataDir, 'app-state.json')
    writeFileSync(file, '{x')
    const result = await serveIn(dataDir)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${file} is damaged: it is not valid JSON`)
    expect(result.stderr).toContain('functions and triggers start empty; objects stay')
    expect(readFileSync(file, 'utf8')).toBe('{x')
  })
})
