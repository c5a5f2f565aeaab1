/**
 * `npm run bench [-- --quick] [--only small,big,list,events] [--size-mib N] [--peers a,b] [--no-build] [--cpu-prof]`: COS Local, COS Local --fsync,
 * s3rver and a null node:http server side by side in one run. Prints Markdown and writes it to
 * bench/results/<date>.md. Progress goes to stderr.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import {
  benchBigObject,
  freeBytes,
  measureYardsticks,
  PART_SIZE,
  PARTS_IN_FLIGHT,
  type BigObjectResult
} from './big-object.ts'
import { alternatedGets } from './big-get-alternated.ts'
import { alternatedPuts } from './small-put-alternated.ts'
import { Client } from './client.ts'
import { benchEvents, WARM_GAP_MS, type EventResult } from './events.ts'
import { benchListing, loadObjects, PREFIXES, type ListingResult, type LoadStats } from './listing.ts'
import { median, type LoadResult } from './load.ts'
import { benchRestart, type RestartResult } from './restart.ts'
import { buildCosLocal, CLI_BUNDLE, PEERS, resultsDir, startServer, type Peer, type RunningServer } from './servers.ts'
import { benchSmallObjects, type SmallObjectResults } from './small-objects.ts'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const onlyArg = args.find((a, i) => a.startsWith('--only') && (a.includes('=') || args[i + 1]))
const only = onlyArg
  ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',')
  : undefined
const runs = (section: string): boolean => !only || only.includes(section)
/** `--cpu-prof`: COS Local peers write V8 CPU profiles to bench/results/profiles/ (see profile-top.ts). */
const profileDir = args.includes('--cpu-prof') ? resultsDir('profiles') : undefined
const nodeArgsFor = (peer: Peer): string[] =>
  profileDir && peer.name.startsWith('COS Local') ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []

const MiB = 1024 * 1024
const config = quick
  ? { durationMs: 1000, warmupMs: 300, bigSize: 64 * MiB, objects: 10_000, loadLimitMs: 120_000, eventCount: 200 }
  : { durationMs: 3000, warmupMs: 1000, bigSize: 1024 * MiB, objects: 100_000, loadLimitMs: 600_000, eventCount: 1000 }
/** `--peers a,b`: only the peers of these names (development runs). */
const peersArg = args.indexOf('--peers')
const peerFilter = peersArg >= 0 ? args[peersArg + 1]!.split(',') : undefined
const chosen = (peers: Peer[]): Peer[] => (peerFilter ? peers.filter((peer) => peerFilter.includes(peer.name)) : peers)
const sizeArg = args.indexOf('--size-mib')
if (sizeArg >= 0) config.bigSize = Number(args[sizeArg + 1]) * MiB
const CONCURRENCIES = [1, 16, 64]

/**
 * COS Local runs from the `npm run build` bundle (out/main/cli.js, what bin/cos-local.js runs
 * when it is fresh). When the build fails, every COS Local row runs from source through tsx.
 */
let fromSource = false
const cosPeer = (): Peer => (fromSource ? PEERS.cosLocalSource : PEERS.cosLocal)
const cosFsyncPeer = (): Peer =>
  fromSource
    ? {
        ...PEERS.cosLocalSource,
        name: 'COS Local --fsync',
        command: (dir) => [...PEERS.cosLocalSource.command(dir), '--fsync']
      }
    : PEERS.cosLocalFsync
const smallPeers = (): Peer[] => chosen([cosPeer(), cosFsyncPeer(), PEERS.s3rver, PEERS.nullServer])
/** The from-source row shows what tsx adds to memory. */
const bigPeers = (): Peer[] =>
  chosen([
    cosPeer(),
    cosFsyncPeer(),
    ...(fromSource ? [] : [PEERS.cosLocalSource]),
    PEERS.s3rver,
    PEERS.nullServer,
    PEERS.nullMd5
  ])
const listPeers = (): Peer[] => [cosPeer(), PEERS.s3rver]

const out: string[] = []
const emit = (line = ''): void => {
  out.push(line)
  process.stdout.write(line + '\n')
}
const progress = (line: string): void => void process.stderr.write(`· ${line}\n`)
const verdict = (ok: boolean | undefined): string => (ok === undefined ? '—' : ok ? '✅ met' : '❌ missed')
const n = (value: number | undefined, digits = 0): string =>
  value === undefined || Number.isNaN(value)
    ? '—'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const ms = (value: number | undefined): string =>
  value === undefined ? '—' : value < 10 ? n(value, 2) : value < 100 ? n(value, 1) : n(value)

/** Starts a peer in a fresh temp dir, runs `body`, stops it and removes the dir. */
async function withServer<T>(peer: Peer, body: (server: RunningServer) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'cos-bench-'))
  const server = await startServer(peer, dataDir, nodeArgsFor(peer))
  try {
    return await body(server)
  } catch (error) {
    const stderr = server.errors().trim()
    if (stderr && error instanceof Error)
      error.message += `\n${peer.name} stderr: ${stderr.split('\n').slice(-5).join(' | ')}`
    throw error
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Runs one peer's part of a section; a peer that fails is reported, not fatal. */
async function attempt<T>(what: string, body: () => Promise<T>): Promise<T | Error> {
  progress(what)
  try {
    return await body()
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error))
    progress(`${what}: FAILED — ${failure.message.split('\n')[0]}`)
    return failure
  }
}
const failed = (value: unknown): value is Error => value instanceof Error
const why = (error: Error): string => error.message.split('\n')[0]!.slice(0, 120)

function header(): void {
  const cpu = os.cpus()
  emit(
    `# COS Local benchmark — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}`
  )
  emit()
  emit(
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
      `load average at start ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')}. ` +
      'Every server runs in its own child process; the client (plain node:http, keep-alive) is this process, so client and server share the 2 cores.'
  )
}

async function smallSection(): Promise<void> {
  emit()
  emit(`## 4 KiB PUT / GET (${config.durationMs / 1000} s per point after ${config.warmupMs / 1000} s warm-up)`)
  emit()
  const results = new Map<string, SmallObjectResults | Error>()
  for (const peer of smallPeers()) {
    results.set(
      peer.name,
      await attempt(`4 KiB: ${peer.name}`, () =>
        withServer(peer, (server) => benchSmallObjects(server, { concurrencies: CONCURRENCIES, ...config }))
      )
    )
  }
  const cols = CONCURRENCIES.map((c) => `c=${c} ops/s | p50 / p99 ms`).join(' | ')
  emit(`| op | peer | ${cols} |`)
  emit(`|---|---|${CONCURRENCIES.map(() => '--:|--:').join('|')}|`)
  for (const op of ['put', 'get'] as const) {
    for (const [name, result] of results) {
      if (failed(result)) {
        emit(`| ${op.toUpperCase()} | ${name} | not run: ${why(result)} |`)
        continue
      }
      const cells = result[op].map((r: LoadResult) => `${n(r.opsPerSec)} | ${ms(r.p50Ms)} / ${ms(r.p99Ms)}`)
      emit(`| ${op.toUpperCase()} | ${name} | ${cells.join(' | ')} |`)
    }
  }
  emit()
  emit(`The server's CPU time (user + system, all its threads) per operation, µs — holds under load, unlike ops/s:`)
  emit()
  emit(`| op | peer | ${CONCURRENCIES.map((c) => `c=${c}`).join(' | ')} |`)
  emit(`|---|---|${CONCURRENCIES.map(() => '--:').join('|')}|`)
  for (const op of ['put', 'get'] as const) {
    for (const [name, result] of results) {
      if (failed(result)) continue
      emit(`| ${op.toUpperCase()} | ${name} | ${result[op].map((r) => n(r.serverCpuUsPerOp)).join(' | ')} |`)
    }
  }
  emit()
  const point = (op: 'put' | 'get', name: string, c: number): LoadResult | undefined => {
    const r = results.get(name)
    return r && !failed(r) ? r[op][CONCURRENCIES.indexOf(c)] : undefined
  }
  const pct = (a: number | undefined, b: number | undefined): number | undefined => (a && b ? (a / b) * 100 : undefined)
  for (const c of [16, 64]) {
    const cos = point('put', 'COS Local', c)?.opsPerSec
    const s3 = point('put', 's3rver', c)?.opsPerSec
    const nul = point('put', 'null server', c)?.opsPerSec
    const vsS3 = cos && s3 ? cos / s3 : undefined
    const vsNull = pct(cos, nul)
    emit(
      `- PUT c=${c}: COS Local = ${n(vsS3, 2)}× s3rver (target ≥ 2×: ${verdict(vsS3 === undefined ? undefined : vsS3 >= 2)}), ` +
        `${n(vsNull)} % of the null server (aim ≥ 50 %: ${verdict(vsNull === undefined ? undefined : vsNull >= 50)}); ` +
        `s3rver = ${n(pct(s3, nul))} % of null.`
    )
  }
  const cosForPuts = smallPeers().find((peer) => peer.name === 'COS Local')
  if (cosForPuts && smallPeers().some((peer) => peer.name === 'null server')) {
    const sliceMs = quick ? 500 : 1000
    const alternated = await attempt('4 KiB: PUTs alternated with the null server', () =>
      alternatedPuts(cosForPuts, PEERS.nullServer, [16, 64], ALTERNATED_ROUNDS, sliceMs)
    )
    if (failed(alternated)) emit(`- PUT alternated with the null server: not run: ${why(alternated)}`)
    else
      for (const { concurrency, cos, null: nul, ratios } of alternated) {
        const ratio = median(ratios)
        emit(
          `- PUT c=${concurrency} alternated with the null server in ${sliceMs / 1000}-s slices (${ALTERNATED_ROUNDS} rounds; both up at once, so both see the same seconds): ` +
            `COS Local ${n(median(cos))} PUT/s, null server ${n(median(nul))} PUT/s (medians); per round ${ratios.map((r) => n(r)).join(' / ')} %, ` +
            `median ${n(ratio)} % (aim ≥ 50 %: ${verdict(ratio >= 50)}).`
        )
      }
  }
  for (const c of [16, 64]) {
    const cos = point('get', 'COS Local', c)
    const nul = point('get', 'null server', c)
    const vsNull = pct(cos?.opsPerSec, nul?.opsPerSec)
    emit(
      `- GET c=${c}: COS Local = ${n(vsNull)} % of the null server (aim ≥ 60 %: ${verdict(vsNull === undefined ? undefined : vsNull >= 60)}); ` +
        `its CPU per GET = ${n(pct(cos?.serverCpuUsPerOp, nul?.serverCpuUsPerOp))} % of the null server's per request ` +
        `(${n(cos?.serverCpuUsPerOp)} vs ${n(nul?.serverCpuUsPerOp)} µs).`
    )
  }
}

/** GETs of COS Local and the null server alternated in one run, after the peers' rows (big-get-alternated.ts). */
const ALTERNATED_ROUNDS = 5

async function bigSection(): Promise<void> {
  const size = config.bigSize
  emit()
  emit(`## ${size / MiB} MiB streamed PUT / GET`)
  emit()
  const free = freeBytes()
  if (free < 4 * 2 ** 30) {
    emit(`Skipped: only ${n(free / 2 ** 30, 1)} GiB free in ${os.tmpdir()} (needs 4 GiB).`)
    return
  }
  progress('big object: MD5 rate and cp')
  const yard = await measureYardsticks(size)
  const results = new Map<string, BigObjectResult | Error>()
  for (const peer of bigPeers()) {
    results.set(
      peer.name,
      await attempt(`big object: ${peer.name}`, () => withServer(peer, (s) => benchBigObject(s, size, yard.md5)))
    )
  }
  const cosForGets = bigPeers().find((peer) => peer.name === 'COS Local')
  const alternated =
    cosForGets && bigPeers().some((peer) => peer.name === 'null server')
      ? await attempt('big object: GETs alternated with the null server', () =>
          alternatedGets(cosForGets, PEERS.nullServer, size, ALTERNATED_ROUNDS)
        )
      : undefined
  emit(
    `Yardsticks on this machine: MD5 ${n(yard.md5MBps)} MB/s (node crypto, 1 MiB chunks); \`cp\` of a ${size / MiB} MiB file in ${os.tmpdir()} ${n(yard.cpMBps)} MB/s. ` +
      `Multipart: ${PART_SIZE / MiB} MiB parts, ${PARTS_IN_FLIGHT} in flight. The null servers send GETs from one MiB in memory.`
  )
  emit()
  emit(
    '| peer | PUT MB/s | multipart PUT MB/s | GET MB/s | GET of the multipart object MB/s | server RSS MiB: idle → peak PUT / multipart / GET → 12 s after |'
  )
  emit('|---|--:|--:|--:|--:|--:|')
  for (const [name, r] of results) {
    if (failed(r)) emit(`| ${name} | not run: ${why(r)} |||||`)
    else
      emit(
        `| ${name} | ${n(r.putMBps)} | ${n(r.multipartMBps)} | ${n(r.getMBps)} | ${n(r.multipartGetMBps)} | ` +
          `${n(r.idleRssMiB)} → ${n(r.putPeakMiB)} / ${n(r.multipartPeakMiB)} / ${n(r.getPeakMiB)} → ${n(r.afterRssMiB)} |`
      )
  }
  emit()
  const ok = (name: string): BigObjectResult | undefined => {
    const r = results.get(name)
    return r && !failed(r) ? r : undefined
  }
  const cos = ok('COS Local')
  const md5Peer = ok('null + MD5')
  const nul = ok('null server')
  const s3 = ok('s3rver')
  if (cos) {
    const pct = (a?: number, b?: number): number | undefined => (a && b ? (a / b) * 100 : undefined)
    const put = pct(cos.putMBps, md5Peer?.putMBps)
    const multi = pct(cos.multipartMBps, md5Peer?.multipartMBps)
    const vsS3 = cos.multipartMBps && s3?.multipartMBps ? cos.multipartMBps / s3.multipartMBps : undefined
    const get = pct(cos.getMBps, nul?.getMBps)
    const multiGet = pct(cos.multipartGetMBps, nul?.multipartGetMBps)
    const peak = Math.max(cos.putPeakMiB, cos.multipartPeakMiB ?? 0, cos.getPeakMiB ?? 0)
    emit(
      `- COS Local single PUT at ${n(put)} % of null + MD5, ${n(pct(cos.putMBps, yard.md5MBps))} % of the bare MD5 rate.`
    )
    emit(
      `- Multipart PUT at ${n(multi)} % of null + MD5 (target ≥ 85 %: ${verdict(multi === undefined ? undefined : multi >= 85)}), ` +
        `${n(vsS3, 1)}× s3rver (target ≥ 3×: ${verdict(vsS3 === undefined ? undefined : vsS3 >= 3)}).`
    )
    emit(
      `- GET at ${n(get)} % of the null server, the multipart object at ${n(multiGet)} % (target ≥ 80 %: ${verdict(get === undefined || multiGet === undefined ? undefined : get >= 80 && multiGet >= 80)}).`
    )
    if (alternated && !failed(alternated)) {
      const ratio = median(alternated.ratios)
      emit(
        `- GET alternated GET by GET with the null server in one run (${ALTERNATED_ROUNDS} rounds; both up at once, so both see the same load): ` +
          `COS Local ${n(median(alternated.cos))} MB/s, null server ${n(median(alternated.null))} MB/s (medians); per round ${alternated.ratios.map((r) => n(r)).join(' / ')} %, ` +
          `median ${n(ratio)} % (target ≥ 80 %: ${verdict(ratio >= 80)}).`
      )
    } else if (alternated) emit(`- GET alternated with the null server: not run: ${why(alternated)}`)
    emit(
      `- Server RSS peak ${n(peak)} MiB (target < 150 MiB: ${verdict(peak < 150)}); ${n(cos.idleRssMiB)} MiB idle before, ${n(cos.afterRssMiB)} MiB 12 s after (target: back near the start: ${verdict(cos.afterRssMiB < cos.idleRssMiB + 20)}).`
    )
  }
}

interface ListingRow {
  load: LoadStats
  listing: ListingResult
  restart: RestartResult
  restartFromSource?: RestartResult | Error
}

async function listSection(): Promise<void> {
  const total = config.objects
  const perPrefix = total / PREFIXES
  emit()
  emit(`## List Objects among ${n(total)} objects in ${PREFIXES} prefixes (${n(perPrefix)} each), and restart`)
  emit()
  const results = new Map<string, ListingRow | Error>()
  for (const peer of listPeers()) {
    results.set(
      peer.name,
      await attempt(`listing: ${peer.name}`, async () => {
        const dataDir = mkdtempSync(join(os.tmpdir(), 'cos-bench-'))
        try {
          const server = await startServer(peer, dataDir)
          const client = new Client(server.port, 64)
          let load: LoadStats
          let listing: ListingResult
          try {
            load = await loadObjects(client, total, config.loadLimitMs)
            progress(`  loaded ${n(load.loaded)} objects in ${n(load.seconds, 1)} s${load.cut ? ' (time limit)' : ''}`)
            if (load.cut)
              throw new Error(
                `loading ${n(total)} objects took longer than ${config.loadLimitMs / 1000} s (${n(load.loaded)} loaded)`
              )
            listing = await benchListing(client, perPrefix)
          } finally {
            client.close()
            await server.stop()
          }
          progress(`  restart ×3`)
          const restart = await benchRestart(peer, dataDir)
          if (fromSource || peer !== PEERS.cosLocal) return { load, listing, restart }
          const restartFromSource = await attempt('  restart ×3 from source (tsx)', () =>
            benchRestart(PEERS.cosLocalSource, dataDir)
          )
          return { load, listing, restart, restartFromSource }
        } finally {
          rmSync(dataDir, { recursive: true, force: true })
        }
      })
    )
  }
  emit(
    `| peer | load ${n(total / 1000)}k × 4 B at c=64 | prefix page (${Math.min(perPrefix, 1000)} keys) ms | top level delimiter=/ ms | ` +
      'full listing (1000/page) ms | slowest page ms | restart → first List ms | restart → listening ms |'
  )
  emit('|---|--:|--:|--:|--:|--:|--:|--:|')
  for (const [name, r] of results) {
    if (failed(r)) {
      emit(`| ${name} | not run: ${why(r)} |||||||`)
      continue
    }
    const { load, listing, restart } = r
    emit(
      `| ${name} | ${n(load.seconds, 1)} s (${n(load.loaded / load.seconds)}/s) | ${ms(listing.prefixPageMs)} | ${ms(listing.delimiterMs)} | ` +
        `${ms(listing.fullMs)} (${listing.pages} pages, ${n(listing.keysListed)} keys) | ${ms(listing.slowestPageMs)} | ${ms(restart.firstListMs)} | ${ms(restart.listeningMs)} |`
    )
  }
  emit()
  emit(
    'Listing times are medians of 5 calls (full listing: median of up to 3 runs); restart is the median of 3 (spawn of `node` included).'
  )
  const cosRow = results.get('COS Local')
  const source = cosRow && !failed(cosRow) ? cosRow.restartFromSource : undefined
  if (source) {
    emit(
      failed(source)
        ? `COS Local from source (tsx): restart not run (${why(source)}).`
        : `COS Local from source (tsx compiles main/ at start, the development path): restart → first List ${ms(source.firstListMs)} ms, → listening ${ms(source.listeningMs)} ms.`
    )
  }
  if (cosRow && !failed(cosRow)) {
    const calls = Math.max(cosRow.listing.prefixPageMs, cosRow.listing.delimiterMs, cosRow.listing.slowestPageMs)
    emit()
    emit(
      `- COS Local: slowest listing call ${ms(calls)} ms (target < 20 ms: ${verdict(calls < 20)}); full listing ${ms(cosRow.listing.fullMs)} ms (target < 1500 ms: ${verdict(cosRow.listing.fullMs < 1500)}).`
    )
    emit(
      `- COS Local restart with ${n(total)} objects: ${ms(cosRow.restart.firstListMs)} ms to the first List (target < 500 ms: ${verdict(cosRow.restart.firstListMs < 500)}).`
    )
  }
}

async function eventsSection(): Promise<void> {
  emit()
  emit('## Event bus: PUT → handler start (no-op Node function on a COS trigger)')
  emit()
  const result: EventResult | Error = await attempt('events: COS Local', () =>
    withServer(cosPeer(), (server) => benchEvents(server, { count: config.eventCount }))
  )
  if (failed(result)) {
    emit(`Not run: ${why(result)}`)
    return
  }
  emit('| measure | value | target |')
  emit('|---|--:|---|')
  emit(
    `| cold start: first PUT → handler start of a new function (median of ${result.coldSamples}) | ${ms(result.coldMs)} ms | < 100 ms ${verdict(result.coldMs < 100)} |`
  )
  emit(
    `| warm p50: PUT sent → handler start (${result.warmSamples} sequential PUTs, ${WARM_GAP_MS} ms apart) | ${ms(result.warmP50Ms)} ms | < 2.5 ms ${verdict(result.warmP50Ms < 2.5)} |`
  )
  emit(`| warm p99 | ${ms(result.warmP99Ms)} ms | < 15 ms ${verdict(result.warmP99Ms < 15)} |`)
  emit(
    `| warm, counted from the PUT's write to the socket instead (the client's own request building left out): p50 / p99 | ${ms(result.warmFromWriteP50Ms)} / ${ms(result.warmFromWriteP99Ms)} ms | — |`
  )
  emit(
    `| warm, counted from the PUT's response instead: p50 / p99 | ${ms(result.warmAfterAckP50Ms)} / ${ms(result.warmAfterAckP99Ms)} ms | — |`
  )
  emit(
    `| events/s through the bus (${n(result.burstEvents)} PUTs at c=16, until every handler started) | ${n(result.eventsPerSec)} | ≥ 2,000 ${verdict(result.eventsPerSec >= 2000)} |`
  )
  emit(
    `| the same burst's PUTs acknowledged per second (the ceiling for events/s) | ${n(result.burstPutsPerSec)} | — |`
  )
  const cpu = result.burstCpuUsPerEvent
  emit(
    `| the burst's CPU per event: server / function processes / bench client (load ${result.burstLoad.toFixed(1)}) | ${n(cpu.server)} / ${n(cpu.functions)} / ${n(cpu.client)} µs | — |`
  )
  const steady = result.steady
  emit(
    `| steady state: the 4th burst of ${n(result.burstEvents)} PUTs (V8 has optimized the server by then): events/s; PUTs/s | ${n(steady.eventsPerSec)}; ${n(steady.putsPerSec)} | ≥ 2,000 ${verdict(steady.eventsPerSec >= 2000)} |`
  )
  emit(
    `| that burst's CPU per event: server / function processes / bench client (load ${steady.load.toFixed(1)}) | ${n(steady.cpuUsPerEvent.server)} / ${n(steady.cpuUsPerEvent.functions)} / ${n(steady.cpuUsPerEvent.client)} µs | — |`
  )
  emit(
    `| the same PUTs where no trigger matches: PUT/s; CPU per PUT server / client | ${n(result.plainPutsPerSec)}; ${n(result.plainCpuUsPerPut.server)} / ${n(result.plainCpuUsPerPut.client)} µs | — |`
  )
}

header()
// `--no-build` reuses an existing out/main/cli.js.
const built = args.includes('--no-build')
  ? existsSync(CLI_BUNDLE) || new Error(`${CLI_BUNDLE} does not exist`)
  : await attempt('npm run build (the COS Local bundle)', async () => buildCosLocal())
fromSource = failed(built)
emit()
emit(
  fromSource
    ? `**No COS Local bundle (${why(built as Error)}): every COS Local row runs from source through tsx.**`
    : 'COS Local runs from the `npm run build` bundle (out/main/cli.js — what `bin/cos-local.js` runs when the bundle is fresh); "tsx, from source" is the development path.'
)
if (runs('small')) await smallSection()
if (runs('big')) await bigSection()
if (runs('list')) await listSection()
if (runs('events')) await eventsSection()

emit()
emit(
  `Load average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (other work on this machine — e.g. other test runs — shows up here and skews every number).`
)

const file = join(resultsDir(), `${new Date().toISOString().slice(0, 16).replace(':', '-')}${quick ? '-quick' : ''}.md`)
writeFileSync(file, out.join('\n') + '\n')
progress(`written to ${file}`)
