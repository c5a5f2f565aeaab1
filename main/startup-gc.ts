/**
 * One full garbage collection right after `cos-local serve` is up. Starting leaves tens of
 * MiB of dead objects (module compilation, migrations, the store's first statements); left
 * alone, V8's first full collection starts a little later and lands its marking steps and
 * final pause (12–29 ms measured) inside the first requests. Collected here, while nothing
 * has been asked yet, the heap the requests meet is the live one.
 *
 * Only the CLI does this: `startCosLocal` runs inside the caller's process, whose V8 flags
 * are not ours to change.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as (() => void) | undefined
  setFlagsFromString('--no-expose-gc')
  gc?.()
}
