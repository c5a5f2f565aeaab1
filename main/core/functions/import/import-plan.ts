/**
 * What an imported serverless.yml / template.yaml asks for: functions (config + a code
 * folder relative to the file) and their COS triggers, plus warnings for what was skipped.
 */
import { CosError } from '../../cos/errors.ts'
import type { FunctionConfigInput } from '../function-config.ts'

export interface PlannedFunction {
  config: FunctionConfigInput
  /** Code folder, relative to the imported file's folder unless absolute. */
  codePath: string
}

export interface PlannedTrigger {
  functionName: string
  bucket: string
  event: string
  prefix: string
  suffix: string
  enabled: boolean
  qualifier?: string
}

export interface ImportPlan {
  format: 'serverless-framework' | 'serverless-components' | 'tcsam'
  functions: PlannedFunction[]
  triggers: PlannedTrigger[]
  warnings: string[]
}

export function importError(message: string): CosError {
  return new CosError('InvalidImport', message)
}

export type Yaml = Record<string, unknown>

export function isObject(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw importError(`${where} must be a string`)
}

export function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof number !== 'number' || !Number.isFinite(number)) throw importError(`${where} must be a number`)
  return number
}

/** `environment: { variables: {...} }` (serverless) or `Environment: { Variables: {...} }` (TCSAM). */
export function environmentOf(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw importError(`${where} must be a mapping`)
  const variables = value.variables ?? value.Variables
  if (variables === undefined || variables === null) return undefined
  if (!isObject(variables)) throw importError(`${where}.variables must be a mapping`)
  const env: Record<string, string> = {}
  for (const [key, val] of Object.entries(variables)) env[key] = val === null || val === undefined ? '' : String(val)
  return env
}

/** A trigger's `events` may be one event type or a list of them. */
export function eventList(value: unknown, where: string): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'))
    return value as string[]
  throw importError(`${where} must name a COS event type, e.g. cos:ObjectCreated:*`)
}

/** `enable` / `Enable`: true/false, or TCSAM's OPEN/CLOSE. */
export function enabledOf(value: unknown, fallback: boolean, where: string): boolean {
  if (value === undefined || value === null) return fallback
  if (value === true || value === 'OPEN' || value === 'true') return true
  if (value === false || value === 'CLOSE' || value === 'false') return false
  throw importError(`${where} must be true, false, OPEN or CLOSE`)
}
