/**
 * `node bin/tsx.js bench/wal-restarts.ts [--rounds N] [--group N] [--root DIR]`: how often the WAL
 * starts over under a stream of 4 KiB PUTs (groups of N `putObject` calls, as in
 * put-commit-cpu.ts) and what each start-over costs the writes: the rounds during which the WAL
 * header's salts changed (a start-over) are timed apart from the others. A start-over waits for
 * the checkpoint of the last frames and its fsyncs (wal-checkpointer.ts), so those rounds take tens
 * of ms where the others take one; their total per PUT is what the start-overs cost the stream.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openInProcessPuts } from './in-process-puts.ts'
import { textOption } from './options.ts'

const group = Number(textOption('--group', '8'))
const rounds = Number(textOption('--rounds', '5000'))
const root = resolve(textOption('--root', join(fileURLToPath(import.meta.url), '..', '..')))

const { dataDir, round, close } = await openInProcessPuts(root, group)
for (let i = 0; i < 2000 / group; i++) await round() // warm up
const wal = openSync(join(dataDir, 'cos-local.db-wal'), 'r')
const header = Buffer.alloc(24)
/** The WAL header's salts: new ones each time the WAL starts over. */
const salts = (): string => {
  readSync(wal, header, 0, 24, 0)
  return header.toString('hex', 16, 24)
}
let last = salts()
const restarts: number[] = []
let otherMs = 0
for (let i = 0; i < rounds; i++) {
  const started = performance.now()
  await round()
  const ms = performance.now() - started
  const now = salts()
  if (now !== last) restarts.push(ms)
  else otherMs += ms
  last = now
}
closeSync(wal)
await close()
const restartMs = restarts.reduce((sum, ms) => sum + ms, 0)
console.log(
  `${root}: ${rounds * group} PUTs in groups of ${group}: ${restarts.length} WAL start-overs, their rounds ` +
    `${Math.round(restartMs)} ms (${restarts.map((ms) => Math.round(ms)).join(' ')}), ` +
    `${((restartMs * 1000) / (rounds * group)).toFixed(1)} µs per PUT; the other rounds ` +
    `${(otherMs / (rounds - restarts.length)).toFixed(2)} ms each; load ${loadavg()[0]!.toFixed(2)}`
)
