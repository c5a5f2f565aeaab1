/** Colour, icon and words for event and invocation statuses (one look everywhere). */

export interface StatusLook {
  icon: string
  label: string
  tone: 'ok' | 'error' | 'dead' | 'busy' | 'muted'
}

const LOOKS: Record<string, StatusLook> = {
  succeeded: { icon: '✓', label: 'succeeded', tone: 'ok' },
  failed: { icon: '✗', label: 'failed', tone: 'error' },
  'dead-lettered': { icon: '☠', label: 'dead-lettered', tone: 'dead' },
  'in-flight': { icon: '⟳', label: 'in flight', tone: 'busy' },
  pending: { icon: '⋯', label: 'pending', tone: 'busy' },
  running: { icon: '⟳', label: 'running', tone: 'busy' },
  retrying: { icon: '↻', label: 'retrying', tone: 'busy' },
  unmatched: { icon: '○', label: 'no trigger matched', tone: 'muted' }
}

export function statusLook(status: string): StatusLook {
  return LOOKS[status] ?? { icon: '•', label: status, tone: 'muted' }
}

/**
 * An emulated-clock time as every pane shows it: local date and time with milliseconds, like
 * clockTime(), so a request's time, an attempt's start and a log line line up (the ISO/UTC form
 * goes in the title).
 */
export function clockDateTime(ms: number): string {
  const date = new Date(ms)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clockTime(ms)}`
}

/** "HH:MM:SS.mmm" of an emulated epoch ms, local time. */
export function clockTime(ms: number): string {
  const date = new Date(ms)
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

export function shortEventName(name: string): string {
  return name.replace(/^cos:/, '')
}
