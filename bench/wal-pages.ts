/**
 * `node bin/tsx.js bench/wal-pages.ts [--group N] [--groups N] [--root DIR] [--random-keys]`: which database pages
 * a group commit of N 4 KiB PUTs (with the event bus's in-commit fan-out, no trigger) writes to
 * the WAL. Runs a warm-up, then N-sized groups, reads the WAL frames those commits appended and
 * names each frame's page by the table or index that owns it (SQLite's `dbstat`, through
 * Python's sqlite3 after close). Every frame is two `pwrite`s and a checksum on the event loop
 * and a copy by the checkpointer later, so frames per PUT is what a PUT costs in the WAL.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openInProcessPuts } from './in-process-puts.ts'
import { textOption } from './options.ts'

const args = process.argv.slice(2)
const group = Number(textOption('--group', '8'))
const groups = Number(textOption('--groups', '20'))
const root = resolve(textOption('--root', join(fileURLToPath(import.meta.url), '..', '..')))
const { dataDir, round, close } = await openInProcessPuts(root, group, false, args.includes('--random-keys'))

const wal = join(dataDir, 'cos-local.db-wal')
let frames: number[][] = []
let page = 0
for (let attempt = 0; attempt < 5 && frames.length < groups; attempt++) {
  for (let i = 0; i < 400 / group; i++) await round() // warm up
  const from = statSync(wal).size
  const header = readFileSync(wal).subarray(0, 32)
  page = header.readUInt32BE(8) // the WAL header's page size
  const FRAME = 24 + page
  for (let i = 0; i < groups; i++) await round()
  const bytes = readFileSync(wal)
  if (!bytes.subarray(0, 32).equals(header)) continue // the WAL started over meanwhile
  frames = []
  let commit: number[] = []
  for (let at = from; at + FRAME <= bytes.length; at += FRAME) {
    commit.push(bytes.readUInt32BE(at))
    if (bytes.readUInt32BE(at + 4) !== 0) {
      frames.push(commit)
      commit = []
    }
  }
}
await close(true)

const owners = new Map<number, string>(
  execFileSync(
    'python3',
    [
      '-c',
      'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); ' +
        "[print(p, n, t) for p, n, t in c.execute('select pageno, name, pagetype from dbstat')]",
      join(dataDir, 'cos-local.db')
    ],
    { encoding: 'utf8' }
  )
    .trim()
    .split('\n')
    .map((line) => {
      const [page, name, type] = line.split(' ')
      return [Number(page), `${name} ${type}`]
    })
)
rmSync(dataDir, { recursive: true, force: true })

const byOwner = new Map<string, number>()
let total = 0
for (const commit of frames)
  for (const page of commit) {
    const owner = page === 1 ? 'page 1 (header)' : (owners.get(page) ?? 'free or new')
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + 1)
    total++
  }
console.log(
  `${root}: ${frames.length} commits of ${group} PUTs, ${page}-byte pages: ${(total / frames.length).toFixed(1)} ` +
    `frames per commit, ${(total / frames.length / group).toFixed(2)} per PUT, ` +
    `${((total * (24 + page)) / frames.length / group / 1024).toFixed(1)} KiB of WAL per PUT`
)
for (const [owner, count] of [...byOwner].sort((a, b) => b[1] - a[1]))
  console.log(`  ${owner.padEnd(40)} ${(count / frames.length).toFixed(2).padStart(6)} per commit`)
