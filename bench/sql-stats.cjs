/**
 * A preload for a COS Local server under a bench (`node --require bench/sql-stats.cjs …`, as
 * `bench/bus-cpu.ts --sql-stats FILE` does): counts and times every libsql statement by its SQL
 * text, and counts the WAL frames each COMMIT appended (from the WAL index's mxFrame in the
 * -shm file, read before and after). SIGUSR2 appends the figures since the last SIGUSR2 to
 * $COS_SQL_STATS (most time first) and starts over. Times are wall time on the main thread.
 */
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const Database = require(require.resolve('libsql', { paths: [path.join(__dirname, '..')] }))

const statements = new Map()
const wal = { frames: 0, commits: 0 }
const sqlOf = new WeakMap()
let shm

/** mxFrame of the WAL index header (offset 16, native byte order). */
function walFrames() {
  if (shm === undefined) {
    for (const fd of fs.readdirSync('/proc/self/fd')) {
      let target
      try {
        target = fs.readlinkSync(`/proc/self/fd/${fd}`)
      } catch {
        continue
      }
      if (target.endsWith('cos-local.db-shm')) shm = fs.openSync(target, 'r')
    }
    if (shm === undefined) return 0
  }
  const bytes = Buffer.alloc(4)
  fs.readSync(shm, bytes, 0, 4, 16)
  return bytes.readUInt32LE(0)
}

function count(sql, ns) {
  const entry = statements.get(sql) ?? { n: 0, ns: 0n }
  entry.n++
  entry.ns += ns
  statements.set(sql, entry)
}

let patched = false
const prepare = Database.prototype.prepare
Database.prototype.prepare = function (sql) {
  const statement = prepare.call(this, sql)
  sqlOf.set(statement, sql.replace(/\s+/g, ' ').slice(0, 120))
  if (!patched) {
    patched = true
    const proto = Object.getPrototypeOf(statement)
    for (const method of ['run', 'get', 'all']) {
      const original = proto[method]
      proto[method] = function (...args) {
        const sql = sqlOf.get(this) ?? '?'
        const commit = sql === 'COMMIT'
        const before = commit ? walFrames() : 0
        const t0 = process.hrtime.bigint()
        try {
          return original.apply(this, args)
        } finally {
          count(sql, process.hrtime.bigint() - t0)
          if (commit) {
            const after = walFrames()
            // a commit that started the WAL over wrote `after` frames
            wal.frames += after >= before ? after - before : after
            wal.commits++
          }
        }
      }
    }
  }
  return statement
}

const exec = Database.prototype.exec
Database.prototype.exec = function (sql) {
  const t0 = process.hrtime.bigint()
  try {
    return exec.call(this, sql)
  } finally {
    count(`exec: ${sql.replace(/\s+/g, ' ').slice(0, 114)}`, process.hrtime.bigint() - t0)
  }
}

process.on('SIGUSR2', () => {
  const rows = [...statements].sort((a, b) => Number(b[1].ns - a[1].ns))
  const lines = rows.map(([sql, { n, ns }]) => `${String(n).padStart(8)} ${String(ns / 1000n).padStart(9)} µs  ${sql}`)
  lines.push(`WAL frames ${wal.frames} in ${wal.commits} commits`, '')
  fs.appendFileSync(process.env.COS_SQL_STATS ?? 'sql-stats.txt', lines.join('\n'))
  statements.clear()
  wal.frames = 0
  wal.commits = 0
})
