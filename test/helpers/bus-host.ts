/**
 * A separate process for the crash tests: `commit DIR KEY` commits one upload event to the
 * queue and SIGKILLs itself before the bus can dispatch it; `run DIR KEY` runs the event
 * system, commits the event and prints RUNNING once its delivery is mid-attempt (the test
 * then SIGKILLs this process). `unmatched DIR KEY` (a folder without triggers) runs the event
 * system, commits the event and SIGKILLs itself as soon as the event is handled, printing how
 * many history rows it had (0: the row was still deferred, see recent-events.ts).
 */
import { createEventSystem } from '../../main/event-system.ts'
import { createSystemClock } from '../../main/core/clock.ts'
import { openDatabase } from '../../main/store/db.ts'
import { EventQueue } from '../../main/store/event-queue.ts'
import { objectEvent } from './object-events.ts'

const [mode, dataDir, key] = process.argv.slice(2)
const db = openDatabase(dataDir!)
const queue = new EventQueue(db)

/** The event system on this folder, started, with the event for KEY committed and the bus woken. */
function startAndCommit(): ReturnType<typeof createEventSystem> {
  const events = createEventSystem({
    db,
    queue,
    dataDir: dataDir!,
    clock: createSystemClock(1),
    appid: '1250000000',
    region: 'ap-guangzhou'
  })
  events.start()
  db.transaction(() => queue.append([objectEvent('cos:ObjectCreated:Put', key!)]))()
  queue.notify()
  return events
}

if (mode === 'commit') {
  db.transaction(() => queue.append([objectEvent('cos:ObjectCreated:Put', key!)]))()
  process.kill(process.pid, 'SIGKILL')
} else if (mode === 'unmatched') {
  startAndCommit()
  const rows = db.prepare('SELECT COUNT(*) AS n FROM recent_events WHERE object_key = ?')
  const timer = setInterval(() => {
    if (queue.pending(0, 1).length > 0) return
    clearInterval(timer)
    process.stdout.write(`HANDLED, HISTORY ROWS ${(rows.get(key) as { n: number }).n}\n`)
    process.kill(process.pid, 'SIGKILL')
  }, 1)
} else {
  const events = startAndCommit()
  const timer = setInterval(() => {
    if (events.invocations.list({ key, status: 'running' }).length > 0) {
      clearInterval(timer)
      process.stdout.write('RUNNING\n')
    }
  }, 10)
}
