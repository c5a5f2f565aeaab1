/**
 * Batching by animation frame: the returned `schedule()` runs `flush` once on the next frame
 * however often it is called before then (a 16 ms timer where there are no frames), so live
 * pushes arriving many times a frame cost one render.
 */
export function frameBatch(flush: () => void): () => void {
  let scheduled = false
  const run = (): void => {
    scheduled = false
    flush()
  }
  // (through globalThis: the unit tests compile this file with Node's typings, which have no frames)
  const scope = globalThis as { requestAnimationFrame?: (callback: () => void) => number }
  return () => {
    if (scheduled) return
    scheduled = true
    if (scope.requestAnimationFrame) scope.requestAnimationFrame(run)
    else setTimeout(run, 16)
  }
}
