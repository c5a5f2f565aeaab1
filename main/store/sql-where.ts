/**
 * A WHERE clause from optional filters: each key is a condition with one `?`, each value
 * its argument; conditions whose value is undefined are left out.
 *
 *   sqlWhere({ 'bucket = ?': bucket, 'created_at < ?': before })
 *   // → { sql: 'WHERE bucket = ? AND created_at < ?', args: [bucket, before] } (or sql '' when none apply)
 */
export function sqlWhere(filters: Record<string, string | number | undefined>): {
  sql: string
  args: (string | number)[]
} {
  const conditions: string[] = []
  const args: (string | number)[] = []
  for (const [condition, value] of Object.entries(filters)) {
    if (value === undefined) continue
    conditions.push(condition)
    args.push(value)
  }
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', args }
}
