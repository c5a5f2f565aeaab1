/**
 * A view of the database whose `prepare` reuses the statement compiled for the same SQL.
 * Stores that prepare their statements where they run them (one `prepare` per call) get
 * each compiled once instead of on every call — on the event bus's path that is several
 * statements per delivery. Not for statements used with `iterate` (a cached statement
 * cannot run twice at once).
 *
 * Its `transaction(fn)` runs `fn` inside the transaction already open, if any (the outer
 * commit or rollback covers it), so the store's writes can join a group commit
 * (group-commit.ts). Everything else goes to the database unchanged.
 */
import type { Db } from './db.ts'

type Statement = ReturnType<Db['prepare']>

/** Distinct SQL texts kept (list queries build theirs from filters and limits). */
const MAX_STATEMENTS = 256

export function withStatementCache(db: Db): Db {
  const cache = new Map<string, Statement>()
  const prepare = (sql: string): Statement => {
    let statement = cache.get(sql)
    if (!statement) {
      if (cache.size >= MAX_STATEMENTS) cache.clear()
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }
  // The transaction wrapper is built only when no transaction is open (building it costs as
  // much as a statement, and inside a group commit it is never used).
  const transaction =
    <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) =>
    (...args: A) =>
      db.inTransaction ? fn(...args) : db.transaction(fn)(...args)
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return prepare
      if (property === 'transaction') return transaction
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    }
  })
}
