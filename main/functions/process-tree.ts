/**
 * OS helpers for function processes. A function instance leads its own process group and
 * session (spawned detached) and carries an environment marker, so everything it starts —
 * children, orphans re-parented to init, even a double-forked daemon that called setsid —
 * can be found again (Linux /proc: process group, session, parentage, then the marker) and
 * killed: at the end of each invocation (all but the instance), when the instance is
 * recycled and at shutdown (all). Also: a cheap system-wide task count (to notice a fork
 * bomb without scanning /proc every tick) and a process's resident memory.
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'

/** Environment variable every function process (and so everything it starts) carries. */
export const INSTANCE_MARKER_ENV = 'COS_LOCAL_INSTANCE'

interface ProcEntry {
  pid: number
  /** The state letter of /proc/PID/stat ('Z': dead, not yet reaped by its parent). */
  state: string
  ppid: number
  pgid: number
  sid: number
}

const LINUX = process.platform === 'linux'

async function pidList(): Promise<number[]> {
  try {
    return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number)
  } catch {
    return []
  }
}

/**
 * /proc stat files are read synchronously into one reused buffer, in slices of PROC_SLICE files
 * with a turn of the event loop between slices (`eachSlice`). They are generated in memory (no
 * disk to wait for, no lock of the process read), and `fs/promises`' readFile costs ≈ 150 µs of
 * CPU per file (open, fstat, read and close each a thread-pool job with its promise) against
 * ≈ 15–30 µs for open, read and close here (81 processes' stat and environ, session 7): the
 * once-a-second check of a warm instance on a machine that starts dozens of processes a second
 * took ≈ 13 ms of the main thread. (Environments are read apart: see hasMarker.)
 */
const PROC_SLICE = 32
let procBuffer = Buffer.alloc(16 * 1024)

function readProcFile(path: string): string | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined // gone meanwhile
  }
  try {
    let length = 0
    for (;;) {
      if (length === procBuffer.length) {
        const larger = Buffer.alloc(procBuffer.length * 2)
        procBuffer.copy(larger, 0, 0, length)
        procBuffer = larger
      }
      const read = readSync(fd, procBuffer, length, procBuffer.length - length, null)
      if (read === 0) break
      length += read
    }
    return procBuffer.toString('latin1', 0, length)
  } catch {
    return undefined // gone meanwhile (ESRCH), or not ours to read
  } finally {
    closeSync(fd)
  }
}

/** `read` for each item, PROC_SLICE at a time with a turn of the event loop in between. */
async function eachSlice<T, R>(items: readonly T[], read: (item: T) => R): Promise<R[]> {
  const results: R[] = []
  for (let at = 0; at < items.length; at += PROC_SLICE) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve))
    const end = Math.min(items.length, at + PROC_SLICE)
    for (let i = at; i < end; i++) results.push(read(items[i]!))
  }
  return results
}

function readEntry(pid: number): ProcEntry | undefined {
  const stat = readProcFile(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) }
}

function present(entry: ProcEntry | undefined): entry is ProcEntry {
  return entry !== undefined
}

/** Every process (Linux /proc), read off the main thread's critical path (async reads). */
async function readProcessTable(): Promise<ProcEntry[]> {
  return (await eachSlice(await pidList(), readEntry)).filter(present)
}

/**
 * Scans that start together share one read of /proc: when many instances end their
 * invocations at once, each would otherwise read the whole table and fill libuv's thread
 * pool, which the COS API's own file reads and writes wait behind.
 */
let sharedTable: Promise<ProcEntry[]> | undefined

async function newerProcesses(sincePid: number): Promise<ProcEntry[]> {
  return (
    await eachSlice(
      (await pidList()).filter((pid) => pid > sincePid),
      readEntry
    )
  ).filter(present)
}
function processTable(): Promise<ProcEntry[]> {
  if (!sharedTable) {
    sharedTable = readProcessTable()
    void sharedTable.finally(() => (sharedTable = undefined))
  }
  return sharedTable
}

/**
 * Whether more than `limit` processes share the instance's process group or session. Reads
 * the newest processes first (a fork bomb's) in small batches and stops as soon as it
 * knows, so a bomb of thousands costs a few dozen reads.
 */
export async function exceedsProcessLimit(leader: number, limit: number): Promise<number | undefined> {
  if (!LINUX) return undefined
  const pids = (await pidList()).filter((pid) => pid !== leader).sort((a, b) => b - a)
  let count = 0
  // eachSlice's slices, with a stop as soon as the count is known
  for (let at = 0; at < pids.length; at += PROC_SLICE) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve))
    const batch = pids.slice(at, at + PROC_SLICE).map(readEntry)
    for (const entry of batch) if (entry && (entry.pgid === leader || entry.sid === leader)) count++
    if (count > limit) return count
  }
  return undefined
}

/**
 * Read with `fs/promises` (on the thread pool), unlike the rest: reading a process's environ
 * takes that process's memory-map lock, which a process stuck in the kernel (a hung network
 * mount, heavy reclaim) can hold for as long as it is stuck.
 */
async function hasMarker(pid: number, marker: string): Promise<boolean> {
  try {
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1')
    return (
      environ.includes(`\0${INSTANCE_MARKER_ENV}=${marker}\0`) ||
      environ.startsWith(`${INSTANCE_MARKER_ENV}=${marker}\0`)
    )
  } catch {
    return false
  }
}

/**
 * The processes an instance started (never the instance itself): same process group or
 * session, descendants, and — among processes newer than the instance, in sessions started after
 * it — those carrying its marker.
 */
export async function instanceMembers(leader: number, marker: string, sincePid?: number): Promise<number[]> {
  if (!LINUX) return []
  // Only processes newer than `sincePid` can have been started since then (pids grow until
  // they wrap, and a wrap is caught by the caller): read just those.
  // a zombie is dead already (nothing to kill), only not yet reaped by its parent
  const table = (sincePid === undefined ? await processTable() : await newerProcesses(sincePid)).filter(
    (entry) => entry.state !== 'Z'
  )
  const found = new Set<number>()
  for (const entry of table) if (entry.pgid === leader || entry.sid === leader) found.add(entry.pid)
  // descendants by parentage (children that moved to a group of their own)
  let grew = true
  while (grew) {
    grew = false
    for (const entry of table) {
      if (!found.has(entry.pid) && (entry.ppid === leader || found.has(entry.ppid))) {
        found.add(entry.pid)
        grew = true
      }
    }
  }
  const self = process.pid
  // A process joins a session only by being forked inside it or by starting one (setsid): what
  // left the instance's session is in a session started after the instance (a higher id, as
  // with pids). Processes other programs start in their own older sessions (a shell's, a
  // test runner's: most of what a busy machine starts) are not read.
  const candidates = table.filter(
    (entry) => !found.has(entry.pid) && entry.pid > leader && entry.sid > leader && entry.pid !== self
  )
  const marked = await Promise.all(candidates.map((entry) => hasMarker(entry.pid, marker)))
  candidates.forEach((entry, index) => {
    if (marked[index]) found.add(entry.pid)
  })
  found.delete(leader)
  return [...found]
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}

/**
 * Kill what an instance started, keeping the instance itself. Repeats until nothing is
 * left (a process may fork while we kill): stop them all first, then kill.
 */
export async function killInstanceMembers(leader: number, marker: string, sincePid?: number): Promise<number> {
  let killed = 0
  for (let round = 0; round < 20; round++) {
    const members = await instanceMembers(leader, marker, sincePid)
    if (members.length === 0) {
      if (killed === 0 || round > 1) break
      // Once more after a moment: a process being started as the handler returned (e.g. by
      // `setsid`, which returns before its child runs) shows up only now.
      await new Promise((resolve) => setTimeout(resolve, 50))
      continue
    }
    for (const pid of members) signal(pid, 'SIGSTOP')
    for (const pid of members) signal(pid, 'SIGKILL')
    killed += members.length
    await untilDead(members)
  }
  return killed
}

/** How long a killed process may take to die (it runs at low priority on a possibly busy machine). */
const DEATH_WAIT_MS = 5000

/**
 * Resolves once none of `pids` runs any more (each a zombie or gone): a process sent SIGKILL
 * dies only when the kernel next schedules it, which takes a while for a niced process on a
 * loaded machine. Bounded by DEATH_WAIT_MS.
 */
async function untilDead(pids: number[]): Promise<void> {
  const end = Date.now() + DEATH_WAIT_MS
  let alive = pids
  while (alive.length > 0 && Date.now() < end) {
    const entries = await eachSlice(alive, readEntry)
    alive = alive.filter((_, index) => entries[index] !== undefined && entries[index].state !== 'Z')
    if (alive.length > 0) await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Kill the child and everything it started (it leads its own process group on POSIX). */
export function killTree(child: ChildProcess, marker?: string): Promise<void> {
  const pid = child.pid
  if (pid === undefined) return Promise.resolve()
  if (process.platform === 'win32') {
    if (child.exitCode === null && child.signalCode === null)
      spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' })
    return Promise.resolve()
  }
  // The whole group at once (a fork bomb cannot outrun a group-wide SIGKILL), even when the
  // leader has already exited (its orphans keep the group id).
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // no process left in the group
  }
  signal(pid, 'SIGKILL')
  return marker === undefined ? Promise.resolve() : sweep(pid, marker).catch(() => undefined)
}

/** After a group kill: whatever left the group (new session, daemons) goes too, and stragglers. */
async function sweep(leader: number, marker: string): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const members = await instanceMembers(leader, marker)
    if (members.length === 0) return
    try {
      process.kill(-leader, 'SIGKILL')
    } catch {
      // group empty
    }
    for (const pid of members) signal(pid, 'SIGKILL')
  }
}

/** Whether a process has live children right now (any of its threads' `children` lists); cheap. */
export function hasChildren(pid: number): boolean {
  if (!LINUX) return false
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`))
      if (readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim() !== '') return true
  } catch {
    return true // cannot tell: look properly
  }
  return false
}

/** What /proc/loadavg says about the whole system. */
export interface SystemTasks {
  /** Scheduling entities (processes and threads) on the system. */
  tasks: number
  /** Of them, those running or waiting for a CPU at this moment (the reader itself included). */
  runnable: number
  /**
   * The last process id the kernel handed out (threads count too). When it has not moved
   * during an invocation, nothing was started anywhere on the system.
   */
  lastPid: number
}

let loadavgFd: number | undefined
const loadavgBuffer = Buffer.alloc(256)

/**
 * One read of /proc/loadavg (Linux; undefined elsewhere). The file stays open and is re-read
 * from offset 0 (one pread instead of open, fstat, read and close: ~15× cheaper, which counts
 * at thousands of invocations a second).
 */
export function systemTasks(): SystemTasks | undefined {
  if (!LINUX) return undefined
  try {
    loadavgFd ??= openSync('/proc/loadavg', 'r')
    const text = loadavgBuffer.toString('latin1', 0, readSync(loadavgFd, loadavgBuffer, 0, loadavgBuffer.length, 0))
    const match = /\s(\d+)\/(\d+)\s+(\d+)\s*$/.exec(text)
    return match ? { tasks: Number(match[2]), runnable: Number(match[1]), lastPid: Number(match[3]) } : undefined
  } catch {
    return undefined
  }
}

/** Number of scheduling entities on the whole system (see systemTasks). */
export function systemTaskCount(): number | undefined {
  return systemTasks()?.tasks
}

/** The last process id the kernel handed out (see systemTasks). */
export function lastPid(): number | undefined {
  return systemTasks()?.lastPid
}

/** Resident set size in bytes (Linux /proc); undefined where it cannot be read. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}
