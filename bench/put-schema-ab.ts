/**
 * `node bin/tsx.js bench/put-schema-ab.ts [--group 8] [--blocks 40] [--rounds 50] --drop INDEX[,INDEX…]`:
 * what a secondary index costs the group commit of 4 KiB PUTs, measured by its absence: two
 * in-process stores (bench/in-process-puts.ts) in one process, the second with the named
 * indexes dropped (through a connection of its own, before the first PUT), PUT in alternating
 * blocks; the main thread's on-CPU time per PUT (schedstat) of each block, the median per
 * store. Interleaving in one process keeps the machine's load and the JIT's state the same for
 * both, so a few µs show on a busy machine. An upper bound for dropping an index: whatever
 * needs it then scans.
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'libsql'
import { openInProcessPuts } from './in-process-puts.ts'
import { median } from './load.ts'
import { numberOption, textOption } from './options.ts'

const group = numberOption('--group', 8)
const blocks = numberOption('--blocks', 40)
const rounds = numberOption('--rounds', 50)
const drop = textOption('--drop', '').split(',').filter(Boolean)
if (drop.length === 0) throw new Error('--drop INDEX[,INDEX…] is required')
const root = resolve(textOption('--root', join(fileURLToPath(import.meta.url), '..', '..')))

/** The main thread's time on a CPU, ns. */
const mainNs = (): number => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0])

const a = await openInProcessPuts(root, group)
const b = await openInProcessPuts(root, group)
// `--in-first`: drop them in the store opened first instead (the second one ran 3–7 µs slower
// with nothing dropped, so a difference is read from both orders)
const inFirst = process.argv.includes('--in-first')
const side = new Database(join((inFirst ? a : b).dataDir, 'cos-local.db'))
// `--drop none`: an A/A control (both stores alike)
for (const index of drop) if (index !== 'none') side.exec(`DROP INDEX ${index}`)
side.close()

for (let i = 0; i < 2000 / group; i++) {
  await a.round()
  await b.round()
}
const perPut: [number[], number[]] = [[], []]
const [full, dropped] = inFirst ? [b, a] : [a, b]
for (let block = 0; block < blocks * 2; block++) {
  const which = block % 2
  const store = which === 0 ? full : dropped
  const before = mainNs()
  for (let i = 0; i < rounds; i++) await store.round()
  perPut[which]!.push((mainNs() - before) / 1000 / (rounds * group))
}
await a.close()
await b.close()
console.log(
  `groups of ${group}, ${blocks} blocks of ${rounds * group} PUTs each: main thread ${median(perPut[0]).toFixed(1)} µs/PUT with every index, ${median(perPut[1]).toFixed(1)} without ${drop.join(', ')} (in the store opened ${inFirst ? 'first' : 'second'}), load ${loadavg()[0]!.toFixed(2)}`
)
