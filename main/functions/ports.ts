/**
 * What the functions service needs from the event bus, handed in by the composition root
 * (app.ts): the functions service never imports the bus's implementation.
 */
import type { InvocationDetail } from '../store/invocation-records.ts'

export type { InvocationDetail }

/** A test invoke as the bus records it (like a delivery, run once without retries). */
export interface TestInvocation {
  requestId: string
  functionName: string
  event: unknown
  eventName: string | null
  bucket: string | null
  key: string | null
}

export interface InvocationLauncher {
  /** Record a test invoke and run it now; resolves with its result and logs. */
  invokeNow(invocation: TestInvocation): Promise<InvocationDetail>
}
