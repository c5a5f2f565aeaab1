/**
 * The services the app API is handed by the composition root: the functions service and
 * the event bus, seen together (see main/event-system.ts, which builds it).
 */
import type { EventBus } from '../bus/event-bus.ts'
import type { FunctionsService } from '../functions/functions-service.ts'

export interface EventSystem
  extends Omit<FunctionsService, 'stats' | 'stop'>, Omit<EventBus, 'invokeNow' | 'inFlight' | 'stop'> {
  readonly appid: string
  readonly region: string
  stop(): Promise<void>
  stats(): { instances: number; busy: number; waiting: number; inFlight: number }
  /** Per function: warm/busy instances, the last invocation, the error rate of the newest 50, active faults. */
  functionStatus(): FunctionStatus[]
}

export interface FunctionStatus {
  name: string
  warm: number
  busy: number
  lastInvocationAt: number | null
  recent: number
  recentFailed: number
  fault: { failNext: number; timeoutNext: number; latencyMs: number } | null
}
