/**
 * `node bin/tsx.js bench/put-ab.ts --bundle path/to/other/out/main/cli.js [--c 16] [--rounds 9]`:
 * this tree's built COS Local against another build, 4 KiB PUTs alternated in 1-s slices (both
 * servers up at once, the order swapped each round, as `small-put-alternated.ts` does with the
 * null server), so a change's effect on the PUT rate is read from the same seconds of a machine
 * whose speed drifts. Prints both rates per round and this tree's rate in % of the other's.
 */
import { alternatedPuts } from './small-put-alternated.ts'
import { median } from './load.ts'
import { numberOption, textOption } from './options.ts'
import { PEERS, type Peer } from './servers.ts'

const bundle = textOption('--bundle', '')
if (!bundle) throw new Error('usage: bench/put-ab.ts --bundle path/to/out/main/cli.js [--c 16] [--rounds 9]')
const concurrency = numberOption('--c', 16)
const rounds = numberOption('--rounds', 9)
const other: Peer = { ...PEERS.cosLocal, command: (dir) => [bundle, ...PEERS.cosLocal.command(dir).slice(1)] }
const [result] = await alternatedPuts(PEERS.cosLocal, other, [concurrency], rounds, 1000)
const { cos, null: theirs, ratios } = result!
console.log(`4 KiB PUT/s at c=${concurrency}, ${rounds} rounds of 1 s`)
console.log(`  this tree  ${cos.map((x) => Math.round(x)).join(' ')}`)
console.log(`  ${bundle}  ${theirs.map((x) => Math.round(x)).join(' ')}`)
console.log(
  `  this tree in % of the other: ${ratios.map((r) => r.toFixed(0)).join(' ')}; median ${median(ratios).toFixed(1)} %`
)
