/**
 * OS helpers for function processes: kill a whole process tree (the function may have
 * started children of its own) and sample a process's resident memory.
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Kill the child and everything it started (it leads its own process group on POSIX). */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' })
    return
  }
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
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
