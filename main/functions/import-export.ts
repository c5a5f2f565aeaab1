/**
 * Import serverless.yml / template.yaml (functions + COS triggers) and export the
 * triggers as serverless.yml. Everything is checked before anything is created: YAML,
 * function configs, code folders, event types, buckets and trigger conflicts.
 */
import { existsSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { createRequire } from 'node:module'
import type * as Yaml from 'yaml'
import { parseBucketRef } from '../core/events/bucket-ref.ts'
import { parseTriggerEventName } from '../core/events/event-names.ts'
import { checkNewTrigger } from '../core/events/trigger-checks.ts'
import type { TriggerRule } from '../core/events/trigger-rule.ts'
import { validateFunctionConfig } from '../core/functions/function-config.ts'
import { serverlessDocument } from '../core/functions/import/export-serverless.ts'
import { importError } from '../core/functions/import/import-plan.ts'
import { planImport } from '../core/functions/import/plan-import.ts'
import type { FunctionsApi } from './functions-api.ts'
import type { TriggerService } from './trigger-service.ts'

// Loaded when a config is imported or exported, not at start-up.
const requireWhenUsed = createRequire(import.meta.url)
const yaml = (): typeof Yaml => requireWhenUsed('yaml') as typeof Yaml

export interface ImportOptions {
  text: string
  filename?: string
  baseDir?: string
  replace?: boolean
}

export interface ImportResult {
  functions: string[]
  triggers: string[]
  warnings: string[]
}

export interface ImportDeps {
  functions: FunctionsApi
  triggers: TriggerService
  appid: string
  region: string
  bucketRegion?: (bucket: string) => string | undefined
}

export function importConfig(options: ImportOptions, deps: ImportDeps): ImportResult {
  let doc: unknown
  try {
    doc = yaml().parse(options.text)
  } catch (error) {
    throw importError(`${options.filename ?? 'The file'} is not valid YAML: ${(error as Error).message}`)
  }
  const plan = planImport(doc)

  // Check everything first.
  const existing = new Set(deps.functions.list().map((fn) => fn.name))
  const planned = new Set<string>()
  for (const { config, codePath } of plan.functions) {
    validateFunctionConfig(config)
    if (planned.has(config.name)) throw importError(`Function ${config.name} is defined twice`)
    planned.add(config.name)
    if (existing.has(config.name) && !options.replace) {
      throw importError(
        `Function ${config.name} already exists; import with replace (cos-local import FILE --replace) to overwrite it`
      )
    }
    const dir = codeDir(codePath, options.baseDir)
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw importError(`Code folder of ${config.name} not found: ${dir}`)
  }
  const kept = deps.triggers.list().filter((trigger) => !(options.replace && planned.has(trigger.functionName)))
  const checked: TriggerRule[] = [...kept]
  for (const [index, trigger] of plan.triggers.entries()) {
    const ref = parseBucketRef(trigger.bucket, deps.appid)
    const rule: TriggerRule = {
      id: `(imported #${index + 1})`,
      functionName: trigger.functionName,
      qualifier: trigger.qualifier ?? '$DEFAULT',
      bucket: ref.bucket,
      region: ref.region ?? deps.bucketRegion?.(ref.bucket) ?? deps.region,
      event: parseTriggerEventName(trigger.event),
      prefix: trigger.prefix,
      suffix: trigger.suffix,
      enabled: trigger.enabled,
      createdAt: 0
    }
    checkNewTrigger(checked, rule, deps.region)
    checked.push(rule)
  }

  // Then apply.
  if (options.replace) {
    for (const trigger of deps.triggers.list()) if (planned.has(trigger.functionName)) deps.triggers.remove(trigger.id)
  }
  const functions: string[] = []
  for (const { config, codePath } of plan.functions) {
    deps.functions.create({
      ...config,
      code: { type: 'dir', path: codeDir(codePath, options.baseDir) },
      replace: options.replace
    })
    functions.push(config.name)
  }
  const triggers = plan.triggers.map(
    (trigger) =>
      deps.triggers.add({
        functionName: trigger.functionName,
        bucket: trigger.bucket,
        event: trigger.event,
        prefix: trigger.prefix,
        suffix: trigger.suffix,
        enabled: trigger.enabled,
        qualifier: trigger.qualifier
      }).id
  )
  return { functions, triggers, warnings: plan.warnings }
}

export function exportServerlessYml(deps: Pick<ImportDeps, 'functions' | 'triggers' | 'region'>): string {
  const header = '# Exported by COS Local: the functions and their COS triggers, for serverless-tencent-scf.\n'
  return header + yaml().stringify(serverlessDocument(deps.functions.list(), deps.triggers.list(), deps.region))
}

function codeDir(codePath: string, baseDir: string | undefined): string {
  if (isAbsolute(codePath)) return codePath
  if (!baseDir)
    throw importError(
      `The code path ${JSON.stringify(codePath)} is relative; give the folder it is relative to (baseDir)`
    )
  return resolve(baseDir, codePath)
}
