/**
 * Reliability suites run short under `npm test` (a few seconds each) and full under
 * `npm run test:reliability` (COS_LOCAL_RELIABILITY=full): `sized(short, full)` picks the size.
 */
export const FULL = process.env.COS_LOCAL_RELIABILITY === 'full'

export function sized<T>(short: T, full: T): T {
  return FULL ? full : short
}

/** One line of figures for the README, printed so the run's output carries them. */
export function report(suite: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[reliability] ${suite} ${FULL ? 'full' : 'short'}: ${JSON.stringify(figures)}\n`)
}
