/**
 * The main window's size and position: remembered between runs, and clamped so a window saved
 * on a monitor that is gone (or a resolution that shrank) opens where the user can see it.
 */

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  bounds?: Rect
  maximized?: boolean
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const
export const MIN_SIZE = { width: 800, height: 560 } as const
/** How much of the title bar must lie on a display for the saved position to be kept. */
const MIN_VISIBLE = 64

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  }
}

function isRect(value: unknown): value is Rect {
  if (typeof value !== 'object' || value === null) return false
  const rect = value as Record<string, unknown>
  return ['x', 'y', 'width', 'height'].every((name) => Number.isFinite(rect[name]))
}

function centered(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width)
  const h = Math.min(height, area.height)
  return {
    x: Math.round(area.x + (area.width - w) / 2),
    y: Math.round(area.y + (area.height - h) / 2),
    width: w,
    height: h
  }
}

/**
 * Where the window opens: the saved bounds when their top strip (the title bar) shows on one of
 * the displays' work areas — shrunk to fit that display — otherwise the default size centred on
 * the primary display (`workAreas[0]`).
 */
export function clampToDisplays(saved: unknown, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE }
  if (!isRect(saved) || saved.width <= 0 || saved.height <= 0) {
    return centered(primary, DEFAULT_SIZE.width, DEFAULT_SIZE.height)
  }
  const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(saved.height, 32) }
  for (const area of workAreas) {
    const seen = overlap(titleBar, area)
    if (seen.width < Math.min(MIN_VISIBLE, saved.width) || seen.height <= 0) continue
    const width = Math.max(Math.min(saved.width, area.width), Math.min(MIN_SIZE.width, area.width))
    const height = Math.max(Math.min(saved.height, area.height), Math.min(MIN_SIZE.height, area.height))
    const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - width)
    const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - height)
    return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) }
  }
  return centered(primary, saved.width, saved.height)
}

/** Reads a stored state defensively: anything malformed counts as "nothing saved". */
export function readWindowState(value: unknown): WindowState {
  if (typeof value !== 'object' || value === null) return {}
  const state = value as Record<string, unknown>
  return {
    bounds: isRect(state.bounds) ? state.bounds : undefined,
    maximized: state.maximized === true
  }
}
