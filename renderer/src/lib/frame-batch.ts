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
  return () => {
    if (scheduled) return
    scheduled = true
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run)
    else setTimeout(run, 16)
  }
}
