/**
 * The log pane's workaround for xterm 6.0 re-syncing its scrollbar on every line fed
 * (renderer/src/components/panels/xterm-scroll-sync.ts): the installed xterm still has the shape
 * it relies on, and the syncs it defers collapse to one per animation frame.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterEach, describe, expect, it } from 'vitest'
import { syncScrollbarPerFrame } from '../../../renderer/src/components/panels/xterm-scroll-sync.ts'

const frames: (() => void)[] = []
const globals = globalThis as unknown as {
  requestAnimationFrame?: (callback: () => void) => number
  cancelAnimationFrame?: (id: number) => void
}
globals.requestAnimationFrame = (callback) => frames.push(callback)
globals.cancelAnimationFrame = (id) => void (frames[id - 1] = () => {})
const runFrame = (): void => frames.splice(0).forEach((callback) => callback())

function fakeTerminal(): { terminal: object; calls: (number | undefined)[] } {
  const calls: (number | undefined)[] = []
  class Viewport {
    _sync(ydisp?: number): void {
      calls.push(ydisp)
    }
  }
  return { terminal: { _core: { _viewport: new Viewport() } }, calls }
}

describe('xterm scrollbar sync once per frame', () => {
  afterEach(() => void frames.splice(0))

  it('applies to the installed xterm: its viewport syncs on every buffer scroll event', () => {
    const lib = readFileSync(createRequire(import.meta.url).resolve('@xterm/xterm/lib/xterm.mjs'), 'utf8')
    // When this fails, xterm changed how it syncs: check whether the workaround is still needed.
    expect(lib).toContain('onScroll(()=>this._sync())')
    expect(lib).toContain('_viewport')
  })

  it('defers argument-less syncs to one per frame and passes positioned ones through', () => {
    const { terminal, calls } = fakeTerminal()
    syncScrollbarPerFrame(terminal)
    const viewport = (terminal as unknown as { _core: { _viewport: { _sync(ydisp?: number): void } } })._core._viewport
    for (let line = 0; line < 1000; line++) viewport._sync()
    expect(calls).toEqual([])
    viewport._sync(7)
    expect(calls).toEqual([7])
    runFrame()
    expect(calls).toEqual([7, undefined])
  })

  it('changes nothing on a terminal without that private shape', () => {
    const terminal = { _core: {} }
    expect(() => syncScrollbarPerFrame(terminal)()).not.toThrow()
  })
})
