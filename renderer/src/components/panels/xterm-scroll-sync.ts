/**
 * xterm 6.0's viewport resizes its scrollbar on every scroll event, synchronously: while the
 * buffer is filling (until the scrollback is full, and again after every reset or filter
 * redraw), each line fed is one scroll event, and each sync re-lays out the scrollbar and
 * re-arms its fade timer. Profiled in the log pane: 80 % of xterm's write time, about 14 µs a
 * line — it made a 1,000-line block a 100–900 ms queue under load. (xterm 3 synced once per
 * animation frame; 6.0 went back to once per event.)
 *
 * This defers those syncs to one per animation frame. The rows on screen follow the buffer, not
 * the scrollbar, so only the scrollbar's thumb moves a frame later. It reaches into xterm's
 * private viewport: when that shape is missing (another xterm version) it changes nothing.
 */
/** The page's frame scheduler (named here so the unit test, in Node, type-checks too). */
const page = globalThis as unknown as {
  requestAnimationFrame(callback: () => void): number
  cancelAnimationFrame(id: number): void
}

interface PrivateViewport {
  _sync?: (ydisp?: number) => void
}

/** `terminal`: an xterm Terminal (typed loosely: its private parts are what this reads). */
export function syncScrollbarPerFrame(terminal: object): () => void {
  const viewport = (terminal as unknown as { _core?: { _viewport?: PrivateViewport } })._core?._viewport
  const sync = viewport?._sync
  if (!viewport || typeof sync !== 'function' || Object.hasOwn(viewport, '_sync')) return () => {}
  let frame = 0
  // The buffer's scroll event calls `_sync()` with no argument; calls with a position (a
  // queued sync after a resize) run as before.
  viewport._sync = function (this: PrivateViewport, ydisp?: number): void {
    if (ydisp !== undefined) {
      sync.call(this, ydisp)
      return
    }
    frame ||= page.requestAnimationFrame(() => {
      frame = 0
      sync.call(this)
    })
  }
  return () => page.cancelAnimationFrame(frame)
}
