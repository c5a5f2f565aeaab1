/**
 * `node bin/tsx.js bench/events-ab.ts [--rounds N] [--count N] [--cold-client] --bundle NAME=path/to/out/main/cli.js ... [--node-args NAME='--v8-flag …']`:
 * the events bench (bench/events.ts: cold starts, warm latency, the first burst after start, the
 * steady-state burst) on a fresh server of each build in turn, rounds alternating the builds
 * (the order reversed every other round), so a change of the machine's load hits them alike.
 * Prints one line per run and the medians per build. The client warms its own request path
 * against the null server before each run's first burst (see warmClient), unless `--cold-client`
 * (then only the first run's client is cold: run a single one per process to see that).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchEvents, type EventResult } from './events.ts'
import { median } from './load.ts'
import { namedOptions, splitFlags } from './options.ts'
import { CLI_BUNDLE, PEERS, startServer, type Peer } from './servers.ts'

const args = process.argv.slice(2)
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const rounds = Number(option('--rounds') ?? 2)
const count = Number(option('--count') ?? 1000)
const bundles = [...namedOptions('--bundle')].map(([name, path]) => ({ name, path }))
if (bundles.length === 0) bundles.push({ name: 'this tree', path: CLI_BUNDLE })
/** `--node-args NAME='--flag …'`: Node/V8 flags for that bundle's server (before the script). */
const nodeArgs = new Map([...namedOptions('--node-args')].map(([name, flags]) => [name, splitFlags(flags)]))

const peerOf = (cli: string): Peer => ({
  ...PEERS.cosLocal,
  command: (dir) => [cli, ...PEERS.cosLocal.command(dir).slice(1)]
})
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!
const results = new Map<string, EventResult[]>(bundles.map((b) => [b.name, []]))
const r = Math.round

function line(result: EventResult): string {
  const c = result.burstCpuUsPerEvent
  const s = result.steady
  return (
    `cold ${result.coldMs.toFixed(1)} ms, warm p50 ${result.warmP50Ms.toFixed(2)} p99 ${result.warmP99Ms.toFixed(2)} ms ` +
    `(from the write ${result.warmFromWriteP50Ms.toFixed(2)}), ` +
    `first burst ${r(result.eventsPerSec)}/s (PUTs ${r(result.burstPutsPerSec)}/s) cpu ${r(c.server)}/${r(c.functions)}/${r(c.client)} µs ` +
    `(${result.burstNewProcesses.count} processes started, ${r(result.burstNewProcesses.cpuMs)} ms), ` +
    `4th ${r(s.eventsPerSec)}/s cpu ${r(s.cpuUsPerEvent.server)}/${r(s.cpuUsPerEvent.functions)}/${r(s.cpuUsPerEvent.client)} µs`
  )
}

for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? bundles : [...bundles].reverse()
  for (const bundle of order) {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-events-ab-'))
    const server = await startServer(peerOf(bundle.path), dataDir, nodeArgs.get(bundle.name))
    try {
      const before = load()
      const result = await benchEvents(server, { count, coldClient: args.includes('--cold-client') })
      results.get(bundle.name)!.push(result)
      console.log(`${bundle.name.padEnd(10)} load ${before}→${load()}: ${line(result)}`)
    } finally {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
for (const [name, list] of results) {
  const m = (pick: (result: EventResult) => number): number => median(list.map(pick))
  console.log(
    `${name.padEnd(10)} medians: warm p50 ${m((x) => x.warmP50Ms).toFixed(2)} ms (from the write ${m((x) => x.warmFromWriteP50Ms).toFixed(2)}), first burst ${r(m((x) => x.eventsPerSec))}/s ` +
      `cpu ${r(m((x) => x.burstCpuUsPerEvent.server))}/${r(m((x) => x.burstCpuUsPerEvent.functions))}/${r(m((x) => x.burstCpuUsPerEvent.client))} µs, ` +
      `4th ${r(m((x) => x.steady.eventsPerSec))}/s`
  )
}
