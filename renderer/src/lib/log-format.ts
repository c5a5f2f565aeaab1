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

/** `[function] text` with ERROR in red, Report in green, START bold, END dim. */
export function terminalLine(functionName: string, text: string): string {
  const prefix = functionName ? `${CYAN}[${functionName}]${RESET} ` : ''
  if (/^Report RequestId:/.test(text)) return `${prefix}${GREEN}${text}${RESET}`
  if (/^START RequestId:/.test(text)) return `${prefix}${BOLD}${text}${RESET}`
  if (/^END RequestId:/.test(text)) return `${prefix}${DIM}${text}${RESET}`
  const level = logLevel(text)
  if (level === 'error') return `${prefix}${RED}${text}${RESET}`
  if (level === 'warn') return `${prefix}${YELLOW}${text}${RESET}`
  return prefix + text
}

export function systemLine(text: string): string {
  return `${DIM}${text}${RESET}`
}
