/**
 * What the event bus needs from the functions service, handed in by the composition root
 * (app.ts): the bus never imports the functions' implementation. The functions service
 * satisfies these structurally.
 */
import type { TriggerRule } from '../core/events/trigger-rule.ts'
import type { AttemptOutcome } from '../core/functions/retry-policy.ts'

/** A function as a delivery needs it: the SCF event names it, the retry policy reads retryNum. */
export interface FunctionTarget {
  name: string
  namespace: string
  retryNum: number
  /** Seconds and MB (an injected timeout waits the function's timeout; its Report names the memory). */
  timeout?: number
  memory?: number
}

/** One line of an SCF run log, on the emulator's clock. */
export interface RunLogLine {
  time: number
  text: string
}

/** The outcome of one attempt, with its run log. */
export interface FunctionRun {
  outcome: AttemptOutcome
  durationMs: number
  memUsageBytes: number
  /** Response RetMsg (success) or ERROR Result (failure). */
  message: string
  lines: RunLogLine[]
}

export interface FunctionInvoker {
  find(name: string): FunctionTarget | undefined
  /** Run one attempt of a function; undefined when the function does not exist (any more). */
  run(
    name: string,
    request: { requestId: string; event: unknown; onLine(line: RunLogLine): void }
  ): Promise<FunctionRun | undefined>
}

/** The trigger rules in force (kept by the functions service). */
export type TriggerSource = () => readonly TriggerRule[]
