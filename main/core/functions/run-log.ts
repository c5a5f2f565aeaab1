/**
 * SCF run-log lines (cos-scf.md §3.3, the cloud's current format):
 *
 *   START RequestId:<id>
 *   <ISO time>\t<id>\t<message>            one per user log call / output line
 *   Response RequestId:<id> RetMsg:<json>  or  ERROR RequestId:<id> Result:<message>
 *   END RequestId:<id>
 *   Report RequestId:<id> Duration:<n>ms Memory:<n>MB MemUsage:<n.nn>MB
 */
export function startLine(requestId: string): string {
  return `START RequestId:${requestId}`
}

export function userLine(timeMs: number, requestId: string, message: string): string {
  return `${new Date(timeMs).toISOString()}\t${requestId}\t${message}`
}

/** The handler's return value as SCF prints it: JSON (a string keeps its quotes). */
export function formatRetMsg(value: unknown): string {
  if (value === undefined) return 'null'
  try {
    return JSON.stringify(value) ?? 'null'
  } catch {
    return JSON.stringify(String(value))
  }
}

export function responseLine(requestId: string, value: unknown): string {
  return `Response RequestId:${requestId} RetMsg:${formatRetMsg(value)}`
}

export function errorLine(requestId: string, result: string): string {
  return `ERROR RequestId:${requestId} Result:${result}`
}

export function endLine(requestId: string): string {
  return `END RequestId:${requestId}`
}

export function formatMemUsage(bytes: number): string {
  return `${(Math.max(0, bytes) / (1024 * 1024)).toFixed(2)}MB`
}

export function reportLine(requestId: string, durationMs: number, memoryMb: number, memUsageBytes: number): string {
  return `Report RequestId:${requestId} Duration:${Math.max(0, Math.round(durationMs))}ms Memory:${memoryMb}MB MemUsage:${formatMemUsage(memUsageBytes)}`
}

/**
 * An ERROR line's Result without its stack trace: `{"errorCode":1,"errorMessage":"…"}` where the
 * runtime sent `{…,"stackTrace":"Error: …\n    at …"}`. For a summary beside the run log, whose
 * ERROR line keeps the trace; any other message as is.
 */
export function resultWithoutTrace(message: string): string {
  if (!message.startsWith('{')) return message
  let result: unknown
  try {
    result = JSON.parse(message)
  } catch {
    return message
  }
  if (!result || typeof result !== 'object' || Array.isArray(result) || !('stackTrace' in result)) return message
  const { stackTrace: _trace, ...rest } = result as Record<string, unknown>
  return JSON.stringify(rest)
}
