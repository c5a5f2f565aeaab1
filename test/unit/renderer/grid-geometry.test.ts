import { describe, expect, it } from 'vitest'
import { gridMetrics, moveInGrid, visibleRows } from '../../../renderer/src/components/browser/grid-geometry.ts'

describe('grid layout arithmetic', () => {
  it('fits as many cells as the width allows, at least one', () => {
    expect(gridMetrics(10, 700, 128, 8)).toEqual({ columns: 5, rows: 2 })
    expect(gridMetrics(10, 50, 128, 8)).toEqual({ columns: 1, rows: 10 })
    expect(gridMetrics(0, 700, 128, 8)).toEqual({ columns: 5, rows: 0 })
    expect(gridMetrics(100_000, 1100, 128, 8).rows).toBe(12_500)
  })

  it('draws only the rows in view plus overscan', () => {
    expect(visibleRows(0, 600, 172, 12_500)).toEqual({ first: 0, last: 6 })
    expect(visibleRows(172 * 1000, 600, 172, 12_500)).toEqual({ first: 998, last: 1006 })
    expect(visibleRows(0, 600, 172, 2)).toEqual({ first: 0, last: 2 })
  })

  // 0 1 2 3
  // 4 5 6 7
  // 8 9
  it('moves the cursor in two dimensions', () => {
    const move = (from: number, to: Parameters<typeof moveInGrid>[1]) => moveInGrid(from, to, 10, 4, 2)
    expect(move(-1, 'down')).toBe(0)
    expect(move(-1, 'end')).toBe(9)
    expect(move(1, 'down')).toBe(5)
    expect(move(5, 'up')).toBe(1)
    expect(move(1, 'up')).toBe(1)
    expect(move(3, 'right')).toBe(4)
    expect(move(4, 'left')).toBe(3)
    expect(move(0, 'left')).toBe(0)
    expect(move(9, 'right')).toBe(9)
    expect(move(6, 'down')).toBe(9)
    expect(move(9, 'down')).toBe(9)
    expect(move(2, 'page-down')).toBe(9)
    expect(move(1, 'page-down')).toBe(9)
    expect(move(9, 'page-up')).toBe(1)
    expect(move(6, 'home')).toBe(0)
    expect(moveInGrid(0, 'right', 0, 4, 2)).toBe(-1)
  })
})
