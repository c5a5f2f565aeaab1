/**
 * One INSERT for many rows: `INSERT … VALUES (?, …), (?, …), …`, prepared once per row count
 * (up to MAX_ROWS rows a statement; more are inserted in chunks). A group commit's rows of one
 * table then cost one statement execution (one crossing into the database, one B-tree descent
 * per row instead of one statement per row).
 */
import type { Db } from './db.ts'

type Statement = ReturnType<Db['prepare']>

/** Rows per statement: 64 rows of 12 columns stay far below SQLite's 32,766 variables. */
const MAX_ROWS = 64

export interface MultiRowInsert {
  /** Insert `rows` (each an array of the columns' values), in order. */
  run(rows: readonly (readonly unknown[])[]): void
}

/** `head` is the statement up to VALUES, e.g. `INSERT INTO t (a, b)`; `columns` its column count. */
export function multiRowInsert(db: Db, head: string, columns: number): MultiRowInsert {
  const tuple = `(${Array.from({ length: columns }, () => '?').join(', ')})`
  const statements: (Statement | undefined)[] = []
  const statement = (count: number): Statement =>
    (statements[count] ??= db.prepare(`${head} VALUES ${Array.from({ length: count }, () => tuple).join(', ')}`))
  return {
    run(rows) {
      for (let start = 0; start < rows.length; start += MAX_ROWS) {
        const chunk =
          rows.length - start > MAX_ROWS ? rows.slice(start, start + MAX_ROWS) : start ? rows.slice(start) : rows
        const values: unknown[] = []
        for (const row of chunk) for (const value of row) values.push(value)
        // one array argument: libsql passes it as is (a spread list would be copied by `flat()`)
        statement(chunk.length).run(values)
      }
    }
  }
}
