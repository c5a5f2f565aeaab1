/**
 * An SCF function's configuration and the platform's rules for it (cos-scf.md §3.1):
 * name 2–60 chars (letters, digits, _ and -, starting with a letter, ending with a letter
 * or digit), handler `file.method`, memory 64 or 128–3072 MB in steps of 128, timeout
 * 1–900 s (default 3), environment variables at most 4 KB, async retries 0–2 (default 2).
 */
import { CosError } from '../cos/errors.ts'

export const RUNTIMES = ['nodejs', 'python3'] as const
export type Runtime = (typeof RUNTIMES)[number]

export interface FunctionConfig {
  name: string
  namespace: string
  runtime: Runtime
  handler: string
  /** MB */
  memory: number
  /** seconds */
  timeout: number
  env: Record<string, string>
  /** Async retries after an execution error or timeout (SCF RetryNum). */
  retryNum: number
  description: string
}

export type FunctionConfigInput = Partial<Omit<FunctionConfig, 'name' | 'runtime'>> & { name: string; runtime?: string }

export const DEFAULT_HANDLER = 'index.main_handler'
export const DEFAULT_MEMORY_MB = 128
export const DEFAULT_TIMEOUT_S = 3
export const DEFAULT_RETRY_NUM = 2
export const MAX_ENV_BYTES = 4096

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/
const HANDLER = /^([A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)\.([A-Za-z_$][A-Za-z0-9_$]*)$/
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
const utf8 = new TextEncoder()

function invalid(message: string): CosError {
  return new CosError('InvalidParameterValue', message)
}

/** Accepts SCF's versioned runtime names too (`Nodejs18.15`, `Python3.9`). */
export function normalizeRuntime(input: string): Runtime {
  const text = input.trim().toLowerCase()
  if (/^(nodejs|node)(\d+(\.\d+)*)?$/.test(text)) return 'nodejs'
  if (/^python3?(\.?\d+)*$/.test(text) && !/^python2/.test(text)) return 'python3'
  throw invalid(`Unsupported runtime ${JSON.stringify(input)}: use nodejs or python3 (e.g. Nodejs18.15, Python3.9)`)
}

export function validateFunctionName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalid(
      `Invalid function name ${JSON.stringify(name)}: 2–60 characters, letters, digits, "_" and "-", starting with a letter and ending with a letter or digit`
    )
  }
  return name
}

export function parseHandler(handler: string): { file: string; method: string } {
  const match = HANDLER.exec(handler)
  if (!match) throw invalid(`Invalid handler ${JSON.stringify(handler)}: use file.method, e.g. index.main_handler`)
  return { file: match[1]!, method: match[2]! }
}

export function validateMemory(memory: number): number {
  const ok = Number.isInteger(memory) && (memory === 64 || (memory >= 128 && memory <= 3072 && memory % 128 === 0))
  if (!ok) throw invalid(`Invalid memory ${memory} MB: use 64, or 128 to 3072 in steps of 128`)
  return memory
}

export function validateTimeout(timeout: number): number {
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
    throw invalid(`Invalid timeout ${timeout} s: use a whole number of seconds from 1 to 900`)
  }
  return timeout
}

export function validateEnv(env: Record<string, string>): Record<string, string> {
  let bytes = 0
  for (const [key, value] of Object.entries(env)) {
    if (!ENV_KEY.test(key)) throw invalid(`Invalid environment variable name ${JSON.stringify(key)}`)
    if (typeof value !== 'string') throw invalid(`Environment variable ${key} must be a string`)
    bytes += utf8.encode(`${key}=${value}`).length
  }
  if (bytes > MAX_ENV_BYTES)
    throw invalid(`Environment variables take ${bytes} bytes; at most ${MAX_ENV_BYTES} are allowed`)
  return { ...env }
}

export function validateRetryNum(retryNum: number): number {
  if (!Number.isInteger(retryNum) || retryNum < 0 || retryNum > 2)
    throw invalid(`Invalid retry count ${retryNum}: use 0, 1 or 2`)
  return retryNum
}

export function validateFunctionConfig(input: FunctionConfigInput): FunctionConfig {
  const handler = input.handler ?? DEFAULT_HANDLER
  parseHandler(handler)
  return {
    name: validateFunctionName(input.name),
    namespace: input.namespace ?? 'default',
    runtime: normalizeRuntime(input.runtime ?? 'nodejs'),
    handler,
    memory: validateMemory(input.memory ?? DEFAULT_MEMORY_MB),
    timeout: validateTimeout(input.timeout ?? DEFAULT_TIMEOUT_S),
    env: validateEnv(input.env ?? {}),
    retryNum: validateRetryNum(input.retryNum ?? DEFAULT_RETRY_NUM),
    description: input.description ?? ''
  }
}
