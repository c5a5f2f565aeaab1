import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DesktopState } from '../../../main/desktop/desktop-state.ts'
import { clampToDisplays, DEFAULT_SIZE, type Rect } from '../../../main/desktop/window-state.ts'

const laptop: Rect = { x: 0, y: 25, width: 1440, height: 875 }
const external: Rect = { x: 1440, y: 0, width: 2560, height: 1440 }

describe('window bounds clamped to the visible displays', () => {
  it('keeps saved bounds that are on a display', () => {
    expect(clampToDisplays({ x: 100, y: 100, width: 1000, height: 700 }, [laptop])).toEqual({
      x: 100,
      y: 100,
      width: 1000,
      height: 700
    })
    expect(clampToDisplays({ x: 2000, y: 200, width: 1600, height: 1000 }, [laptop, external])).toEqual({
      x: 2000,
      y: 200,
      width: 1600,
      height: 1000
    })
  })

  it('centres the default size on the primary display when nothing is saved or it is malformed', () => {
    for (const saved of [undefined, null, {}, { x: 'a' }, { x: 0, y: 0, width: 0, height: 10 }]) {
      expect(clampToDisplays(saved, [laptop])).toEqual({ x: 80, y: 53, ...DEFAULT_SIZE })
    }
  })

  it('brings back a window saved on a monitor that is gone', () => {
    const bounds = clampToDisplays({ x: 2000, y: 200, width: 1600, height: 1000 }, [laptop])
    expect(bounds.width).toBeLessThanOrEqual(laptop.width)
    expect(bounds.height).toBeLessThanOrEqual(laptop.height)
    expect(bounds.x).toBeGreaterThanOrEqual(laptop.x)
  })

  it('shrinks and moves a window that hangs off the edge so all of it shows', () => {
    expect(clampToDisplays({ x: 1000, y: 0, width: 1400, height: 2000 }, [laptop])).toEqual({
      x: 40,
      y: 25,
      width: 1400,
      height: 875
    })
  })

  it('always returns bounds inside one of the work areas (property)', () => {
    const rect = fc.record({
      x: fc.integer({ min: -5000, max: 5000 }),
      y: fc.integer({ min: -5000, max: 5000 }),
      width: fc.integer({ min: 1, max: 6000 }),
      height: fc.integer({ min: 1, max: 6000 })
    })
    const area = fc.record({
      x: fc.integer({ min: -3000, max: 3000 }),
      y: fc.integer({ min: -3000, max: 3000 }),
      width: fc.integer({ min: 640, max: 4000 }),
      height: fc.integer({ min: 480, max: 3000 })
    })
    fc.assert(
      fc.property(rect, fc.array(area, { minLength: 1, maxLength: 3 }), (saved, areas) => {
        const b = clampToDisplays(saved, areas)
        return areas.some(
          (a) => b.x >= a.x && b.y >= a.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height
        )
      })
    )
  })
})

describe('DesktopState (lowdb file)', () => {
  it('remembers the window between runs and survives a damaged file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-local-desktop-state-'))
    try {
      new DesktopState(dir).saveWindow({ bounds: { x: 1, y: 2, width: 900, height: 600 }, maximized: true })
      expect(new DesktopState(dir).window).toEqual({ bounds: { x: 1, y: 2, width: 900, height: 600 }, maximized: true })
      expect(JSON.parse(readFileSync(join(dir, 'desktop-state.json'), 'utf8')).window.maximized).toBe(true)
      writeFileSync(join(dir, 'desktop-state.json'), '{ half-written')
      expect(new DesktopState(dir).window.bounds).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
