/**
 * The desktop shell's own small state (`<userData>/desktop-state.json`, lowdb, written
 * atomically): the main window's bounds. Saved a moment after the user stops moving/resizing.
 */
import { LowSync } from 'lowdb'
import { JSONFileSync } from 'lowdb/node'
import { join } from 'node:path'
import { readWindowState, type WindowState } from './window-state.ts'

interface DesktopStateData {
  window?: WindowState
}

export class DesktopState {
  readonly #db: LowSync<DesktopStateData>
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(dir: string) {
    this.#db = new LowSync<DesktopStateData>(new JSONFileSync(join(dir, 'desktop-state.json')), {})
    try {
      this.#db.read()
    } catch {
      // A damaged file (hand-edited, half-written by an old version) only loses the window position.
      this.#db.data = {}
    }
    if (typeof this.#db.data !== 'object' || this.#db.data === null) this.#db.data = {}
  }

  get window(): WindowState {
    return readWindowState(this.#db.data.window)
  }

  /** Save now. */
  saveWindow(state: WindowState): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#db.data.window = state
    this.#db.write()
  }

  /** Save after `delayMs` without further changes (move/resize fire many times a second). */
  saveWindowSoon(state: () => WindowState, delayMs = 400): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.saveWindow(state()), delayMs)
    this.#timer.unref?.()
  }
}
