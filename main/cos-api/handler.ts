/** What every COS operation handler is: it answers one exchange (or throws a CosError). */
import type { Exchange } from './exchange.ts'

export type Handler = (ex: Exchange) => Promise<void> | void
