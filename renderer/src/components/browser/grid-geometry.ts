/**
 * The grid layout's arithmetic, kept pure: how many cells fit in a row, which rows of cells are
 * in view (plus overscan), and where the keyboard cursor goes in two dimensions.
 */

export interface GridMetrics {
  /** Cells per row (at least 1). */
  columns: number
  /** Rows of cells in total. */
  rows: number
}

export function gridMetrics(count: number, width: number, cellWidth: number, gap: number): GridMetrics {
  const columns = Math.max(1, Math.floor((Math.max(0, width) + gap) / (cellWidth + gap)))
  return { columns, rows: Math.ceil(count / columns) }
}

/** The rows of cells to draw: [first, last) with `overscan` rows either side of the view. */
export function visibleRows(
  scrollTop: number,
  viewHeight: number,
  rowHeight: number,
  rows: number,
  overscan = 2
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(rows, Math.ceil((scrollTop + Math.max(viewHeight, rowHeight)) / rowHeight) + overscan)
  return { first, last: Math.max(first, last) }
}

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'page-up' | 'page-down' | 'home' | 'end'

/**
 * The cell the cursor moves to. Left/right walk the cells in order (wrapping to the row above or
 * below); up/down keep the column, and down from the last full row lands on the last cell.
 * With no cursor yet (-1), any move starts at the first cell.
 */
export function moveInGrid(cursor: number, move: GridMove, count: number, columns: number, pageRows: number): number {
  if (count === 0) return -1
  if (cursor < 0) return move === 'end' ? count - 1 : 0
  const last = count - 1
  const clamp = (index: number): number => Math.max(0, Math.min(last, index))
  switch (move) {
    case 'left':
      return clamp(cursor - 1)
    case 'right':
      return clamp(cursor + 1)
    case 'up':
      return cursor - columns >= 0 ? cursor - columns : cursor
    case 'down':
      if (cursor + columns <= last) return cursor + columns
      // On a row above the last one, down reaches the (shorter) last row.
      return Math.floor(cursor / columns) < Math.floor(last / columns) ? last : cursor
    case 'page-up':
      return Math.max(cursor % columns, cursor - columns * Math.max(1, pageRows))
    case 'page-down': {
      const target = cursor + columns * Math.max(1, pageRows)
      return target <= last ? target : Math.floor(cursor / columns) < Math.floor(last / columns) ? last : cursor
    }
    case 'home':
      return 0
    case 'end':
      return last
  }
}
