/** How run-log lines look in the terminal: level from the SCF line shape, ANSI colours. */

export type LogLevel = 'error' | 'warn' | 'info' | 'platform'

export function logLevel(text: string): LogLevel {
  if (/^ERROR RequestId:/.test(text) || /\t(ERROR|\[ERROR\])(\t|\s)/.test(text)) return 'error'
  if (/^(START|END|Report|Response) RequestId:/.test(text)) return 'platform'
  if (/\t(WARN|WARNING|\[WARN\])(\t|\s)/.test(text)) return 'warn'
  return 'info'
}

const RESET = '\u001b[0m'
const CYAN = '\u001b[36m'
const RED = '\u001b[1;31m'
const YELLOW = '\u001b[33m'
const GREEN = '\u001b[1;32m'
const BOLD = '\u001b[1m'
const DIM = '\u001b[2m'
const PLAIN_RED = '\u001b[31m'

/**
 * An SCF error Result (`{"errorCode":1,"errorMessage":"…","stackTrace":"Error: …\n    at …"}`)
 * with a multi-line stack trace: the Result without the trace, and the trace's lines as the
 * runtime printed them. Undefined for any other text (no trace, one line, not a JSON object).
 * The core's summary of the same Result (timeline, CLI) is `resultWithoutTrace` in
 * main/core/functions/run-log.ts: the renderer imports nothing from main.
 */
export function splitErrorResult(json: string): { summary: string; stack: string[] } | undefined {
  let result: unknown
  try {
    result = JSON.parse(json)
  } catch {
    return undefined
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined
  const { stackTrace, ...rest } = result as Record<string, unknown>
  if (typeof stackTrace !== 'string' || !stackTrace.includes('\n')) return undefined
  return { summary: JSON.stringify(rest), stack: stackTrace.replace(/\n+$/, '').split('\n') }
}

/**
 * An SCF error line whose Result carries a multi-line stack trace (`ERROR RequestId:… Result:{…}`):
 * the line without the trace, and the trace's lines. The store keeps the line as SCF wrote it
 * (Download, the filters); only the terminal shows the trace as lines.
 */
export function splitStackTrace(text: string): { line: string; stack: string[] } | undefined {
  const match = /^(ERROR RequestId:\S+ Result:)(\{.*\})$/.exec(text)
  const split = match ? splitErrorResult(match[2]!) : undefined
  return split && { line: match![1]! + split.summary, stack: split.stack }
}

/** A run-log line as plain text, an ERROR line's stack trace below it a frame per line. */
export function readableLine(text: string): string {
  const split = splitStackTrace(text)
  return split ? [split.line, ...split.stack.map((line) => `  ${line}`)].join('\n') : text
}

/**
 * `[function] text` with ERROR in red (a stack trace in its Result below it, line by line), Report
 * in green, START bold, END dim.
 */
export function terminalLine(functionName: string, text: string): string {
  const prefix = functionName ? `${CYAN}[${functionName}]${RESET} ` : ''
  if (/^Report RequestId:/.test(text)) return `${prefix}${GREEN}${text}${RESET}`
  if (/^START RequestId:/.test(text)) return `${prefix}${BOLD}${text}${RESET}`
  if (/^END RequestId:/.test(text)) return `${prefix}${DIM}${text}${RESET}`
  const level = logLevel(text)
  if (level === 'error') {
    const split = splitStackTrace(text)
    if (!split) return `${prefix}${RED}${text}${RESET}`
    // the trace under its line, indented, as the runtime printed it (not one escaped string)
    return [`${prefix}${RED}${split.line}${RESET}`, ...split.stack.map((line) => `${PLAIN_RED}  ${line}${RESET}`)].join(
      '\n'
    )
  }
  if (level === 'warn') return `${prefix}${YELLOW}${text}${RESET}`
  return prefix + text
}

export function systemLine(text: string): string {
  return `${DIM}${text}${RESET}`
}
