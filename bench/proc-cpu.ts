/**
 * CPU time of processes from /proc/PID/stat (Linux): a server, its child processes (the
 * function instances COS Local forks) and this process, read before and after a phase, so a
 * benchmark can say how much CPU each side spent per operation. Figures that hold under load,
 * unlike rates: a preempted process is not charged for the time it waited.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second of /proc's utime/stime (USER_HZ: 100 on every Linux build that matters here). */
const TICKS_PER_SEC = 100

interface Stat {
  ppid: number
  /** user + system CPU, ms. */
  cpuMs: number
}

function stat(pid: number): Stat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return undefined
  }
  // the command name (field 2) is in parentheses and may hold spaces: split after its last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15
  return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SEC }
}

/** CPU ms (user + system, all threads) process `pid` has used so far; NaN when it is gone. */
export function processCpuMs(pid: number): number {
  return stat(pid)?.cpuMs ?? NaN
}

export interface CpuSnapshot {
  server: number
  /** CPU ms by pid of the server's child processes alive at the snapshot. */
  children: Map<number, number>
  client: number
}

/** CPU ms so far of `serverPid`, each of its children, and this process. */
export function cpuSnapshot(serverPid: number): CpuSnapshot {
  const children = new Map<number, number>()
  if (process.platform === 'linux') {
    for (const name of readdirSync('/proc')) {
      const pid = Number(name)
      if (!Number.isInteger(pid) || pid === serverPid) continue
      const s = stat(pid)
      if (s?.ppid === serverPid) children.set(pid, s.cpuMs)
    }
  }
  const usage = process.cpuUsage()
  return { server: stat(serverPid)?.cpuMs ?? NaN, children, client: (usage.user + usage.system) / 1000 }
}

export interface CpuSpent {
  serverMs: number
  /** Children alive at the end (those that exited meanwhile are not counted). */
  childrenMs: number
  clientMs: number
}

/** CPU spent between two snapshots (a child born meanwhile counts from 0). */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSpent {
  let childrenMs = 0
  for (const [pid, ms] of after.children) childrenMs += ms - (before.children.get(pid) ?? 0)
  return { serverMs: after.server - before.server, childrenMs, clientMs: after.client - before.client }
}
