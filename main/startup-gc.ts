/**
 * Full garbage collections the CLI asks for at moments when nothing waits on the server.
 *
 * Right after `cos-local serve` is up: starting leaves tens of MiB of dead objects (module
 * compilation, migrations, the store's first statements); left alone, V8's first full
 * collection starts a little later and lands its marking steps and final pause (12–29 ms
 * measured) inside the first requests. Collected here, while nothing has been asked yet,
 * the heap the requests meet is the live one.
 *
 * When large transfers go quiet (store/large-transfers.ts: 64 MiB moved, then 6 s without
 * one): streaming grows V8's young generation for the allocation rate, and it stays grown
 * (15 MiB more heap, measured after a 1 GiB PUT, multipart and GETs) until a full
 * collection shrinks it.
 *
 * Only the CLI does this: `startCosLocal` runs inside the caller's process, whose V8 flags
 * and pauses are not ours to choose.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { largeTransfers } from './store/large-transfers.ts'

let gc: (() => void) | undefined

function fullCollection(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as (() => void) | undefined
    setFlagsFromString('--no-expose-gc')
  }
  gc?.()
}

export function collectStartupGarbage(): void {
  fullCollection()
}

/**
 * Young-generation collections (scavenges) done by the main thread alone, not shared with V8's
 * helper threads. A parallel scavenge ends when every helper has finished its share, so when a
 * helper waits for a CPU (the client, the function processes and other programs share the
 * cores) the event loop waits with it: on this 2-core machine, over the million-object listing,
 * the main thread's scavenges took 114–177 ms per 1000 pages with the longest 7–20 ms, and
 * 54–64 ms with the longest 2–5 ms alone, for the same CPU (bench/million-probe.ts, session 8).
 * The young generation is at most 16 MiB here, small enough for one thread.
 */
export function scavengeOnMainThread(): void {
  setFlagsFromString('--no-parallel-scavenge')
}

/** From now on, one full collection each time large transfers go quiet. */
export function collectAfterLargeTransfers(): void {
  largeTransfers.onIdle(fullCollection)
}
