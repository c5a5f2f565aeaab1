/**
 * Port choice for the desktop shell: the preferred ports (COS 9500, app API 9501) when they
 * are free, any free port (0) for each one that is taken — a second instance, or a
 * `cos-local serve` already running, must not stop the app from starting.
 */
import { createServer } from 'node:net'

export const PREFERRED_PORTS = { cos: 9500, ui: 9501 } as const

export interface PortRequest {
  cos: number
  ui: number
}

export interface PortPlan extends PortRequest {
  /** Human-readable notes on each fallback, e.g. "port 9500 is in use; using a free port". */
  notes: string[]
}

/** Pure: keep a preferred port that is free, otherwise ask for any free port (0). */
export function planPorts(preferred: PortRequest, free: { cos: boolean; ui: boolean }): PortPlan {
  const notes: string[] = []
  const pick = (name: string, port: number, isFree: boolean): number => {
    if (port === 0 || isFree) return port
    notes.push(`${name} port ${port} is in use; using a free port instead`)
    return 0
  }
  return { cos: pick('COS', preferred.cos, free.cos), ui: pick('UI', preferred.ui, free.ui), notes }
}

/** Whether `port` can be bound on `host` right now (binds and closes a probe listener). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  if (port === 0) return Promise.resolve(true)
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)))
  })
}

export function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE'
}

/**
 * Start something on the planned ports. Between the probe and the real listen another process
 * may take a port; then start once more on free ports only.
 */
export async function startOnPorts<T>(
  preferred: PortRequest,
  start: (ports: PortRequest) => Promise<T>,
  host = '127.0.0.1',
  isFree: (port: number, host: string) => Promise<boolean> = portIsFree
): Promise<{ value: T; plan: PortPlan }> {
  const plan = planPorts(preferred, { cos: await isFree(preferred.cos, host), ui: await isFree(preferred.ui, host) })
  try {
    return { value: await start({ cos: plan.cos, ui: plan.ui }), plan }
  } catch (error) {
    if (!isAddressInUse(error) || (plan.cos === 0 && plan.ui === 0)) throw error
    const retry: PortPlan = {
      cos: 0,
      ui: 0,
      notes: [...plan.notes, 'a preferred port was taken while starting; using free ports']
    }
    return { value: await start({ cos: 0, ui: 0 }), plan: retry }
  }
}
