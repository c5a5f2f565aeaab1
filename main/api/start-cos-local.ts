/**
 * The programmatic API: a whole COS Local (COS API, event bus, functions, optional UI) in
 * the caller's process, on free ports and its own data folder, for users' test suites.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createApp, DEFAULT_APPID, DEFAULT_REGION, OPEN_MODE_CREDENTIALS, type App } from '../app.ts'
import { openModeRefusal } from '../core/cos/open-mode.ts'
import type { SnapshotManifest } from '../core/snapshot/format.ts'
import { seedFolder } from '../snapshot/seed-folder.ts'
import { loadSnapshot, readSnapshot } from '../snapshot/snapshot-load.ts'
import { saveSnapshot } from '../snapshot/snapshot-save.ts'
import type { CodeSource } from '../functions/code-install.ts'
import type { TriggerRule } from '../core/events/trigger-rule.ts'
import type { FunctionRecord } from '../store/app-state.ts'
import type {
  CosLocal,
  CosLocalOptions,
  CosSdkOptions,
  CreateFunctionOptions,
  FunctionInfo,
  Invocation,
  InvocationStatus,
  S3SdkOptions,
  SnapshotSummary,
  TriggerInfo
} from './public.ts'
import type * as Public from './public.ts'

const CLI_TO_OPTION: Record<string, string> = {
  '--host': 'host',
  '--secret-id ID --secret-key KEY': 'credentials: { secretId, secretKey }',
  '--allow-open': 'allowOpen: true'
}

export const startCosLocal = (async (options: CosLocalOptions = {}): Promise<CosLocal> => {
  const snapshot = options.snapshot === undefined ? undefined : readSnapshot(options.snapshot).contents.manifest
  const appid = options.appid ?? snapshot?.appid ?? DEFAULT_APPID
  if (!/^\d{1,20}$/.test(appid)) throw new TypeError(`appid must be digits, got ${JSON.stringify(appid)}`)
  const clockSpeed = options.clockSpeed ?? 1
  if (!(clockSpeed > 0 && clockSpeed <= 100_000)) throw new TypeError('clockSpeed must be a number from 0 to 100000')
  const host = options.host ?? '127.0.0.1'
  const refusal = openModeRefusal({
    host,
    hasCredentials: options.credentials !== undefined,
    allowOpen: options.allowOpen ?? false
  })
  if (refusal)
    throw new TypeError(
      refusal.replace(/--host|--secret-id ID --secret-key KEY|--allow-open/g, (m) => CLI_TO_OPTION[m] ?? m)
    )
  const madeDir = options.dataDir === undefined
  const dataDir = madeDir ? mkdtempSync(join(tmpdir(), 'cos-local-')) : resolve(options.dataDir as string)
  mkdirSync(dataDir, { recursive: true })
  let app: App
  try {
    app = await createApp({
      dataDir,
      host,
      port: options.port ?? 0,
      uiPort: options.uiPort === false ? undefined : (options.uiPort ?? 0),
      ui: options.uiPort !== false,
      appid,
      region: options.region ?? snapshot?.region ?? DEFAULT_REGION,
      clockSpeed,
      fsync: options.fsync ?? false,
      credentials: options.credentials ? [options.credentials] : undefined
    })
  } catch (error) {
    if (madeDir) rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  if (options.snapshot !== undefined) {
    try {
      await loadSnapshot(app.snapshot, options.snapshot)
    } catch (error) {
      await app.stop()
      if (madeDir) rmSync(dataDir, { recursive: true, force: true })
      throw error
    }
  }
  return wrap(app, options, madeDir)
}) satisfies typeof Public.startCosLocal

function wrap(app: App, options: CosLocalOptions, madeDir: boolean): CosLocal {
  const events = app.events
  const appid = events.appid
  const region = events.region
  const credentials = { ...(options.credentials ?? OPEN_MODE_CREDENTIALS) }
  const host = new URL(app.cosEndpoint).host
  const bucket = (name: string): string => (/-\d+$/.test(name) ? name : `${name}-${appid}`)
  const invocation = (requestId: string): Invocation => toInvocation(events.invocations.get(requestId))

  for (const name of options.buckets ?? []) app.store.createBucket(bucket(name), region)

  function sdkOptions(): CosSdkOptions
  function sdkOptions(kind: 'cos'): CosSdkOptions
  function sdkOptions(kind: 's3'): S3SdkOptions
  function sdkOptions(kind: 'cos' | 's3' = 'cos'): CosSdkOptions | S3SdkOptions {
    if (kind === 's3') {
      return {
        endpoint: app.cosEndpoint,
        region,
        forcePathStyle: true,
        credentials: { accessKeyId: credentials.secretId, secretAccessKey: credentials.secretKey }
      }
    }
    return { SecretId: credentials.secretId, SecretKey: credentials.secretKey, Protocol: 'http:', Ip: host }
  }

  let stopping: Promise<void> | undefined
  return {
    endpoint: app.cosEndpoint,
    port: app.cosPort,
    appid,
    region,
    credentials,
    uiUrl: app.uiUrl === '' ? undefined : app.uiUrl,
    dataDir: app.dataDir,
    sdkOptions,
    bucket,
    async createBucket(name) {
      return app.store.createBucket(bucket(name), region).name
    },
    functions: {
      async create(input) {
        return toFunctionInfo(events.functions.create({ ...configOf(input), code: codeOf(input) }))
      },
      async list() {
        return events.functions.list().map(toFunctionInfo)
      },
      async remove(name) {
        events.functions.remove(name)
      },
      async invoke(name, input = {}) {
        return toInvocation(await events.functions.invoke(name, input))
      }
    },
    triggers: {
      async add(input) {
        const names = input.events === undefined ? ['cos:ObjectCreated:*'] : [input.events].flat()
        const added: TriggerRule[] = []
        try {
          for (const event of names) {
            added.push(
              events.triggers.add({
                functionName: input.function,
                bucket: input.bucket,
                event,
                prefix: input.prefix,
                suffix: input.suffix,
                enabled: input.enabled
              })
            )
          }
        } catch (error) {
          for (const rule of added) events.triggers.remove(rule.id) // all or nothing
          throw error
        }
        return added.map(toTriggerInfo)
      },
      async list(filter = {}) {
        return events.triggers
          .list({ functionName: filter.function, bucket: filter.bucket && bucket(filter.bucket) })
          .map(toTriggerInfo)
      },
      async remove(id) {
        events.triggers.remove(id)
      }
    },
    async waitForInvocation({ function: functionName, key, timeoutMs = 10_000, since }) {
      const found = await events.waitFor({ functionName, key, timeoutMs, since })
      if (!found) {
        const what = key === undefined ? '' : ` for key ${JSON.stringify(key)}`
        const known = events.functions.list().some((fn) => fn.name === functionName)
        throw new Error(
          `No invocation of function ${JSON.stringify(functionName)}${what} finished within ${timeoutMs} ms` +
            (known ? ` (triggers: ${describeTriggers(events.triggers.list({ functionName }))})` : ' (no such function)')
        )
      }
      return invocation(found.requestId)
    },
    async saveSnapshot(file) {
      return summary(resolve(file), await saveSnapshot(app.snapshot, file))
    },
    async loadSnapshot(file) {
      const loaded = await loadSnapshot(app.snapshot, file)
      return summary(loaded.file, loaded.manifest)
    },
    async seed(dir, { bucket: name, prefix }) {
      return seedFolder(app.store, { dir, bucket: bucket(name), prefix })
    },
    stop() {
      stopping ??= (async () => {
        await app.stop()
        if (madeDir) rmSync(app.dataDir, { recursive: true, force: true })
      })()
      return stopping
    }
  }
}

function summary(file: string, manifest: SnapshotManifest): SnapshotSummary {
  return { file, formatVersion: manifest.formatVersion, counts: { ...manifest.counts } }
}

function codeOf(input: CreateFunctionOptions): CodeSource {
  const given = [
    input.dir !== undefined && ({ type: 'dir', path: resolve(input.dir) } as const),
    input.zip !== undefined && ({ type: 'zip', path: resolve(input.zip) } as const),
    input.template !== undefined && ({ type: 'template', template: input.template } as const),
    input.files !== undefined && ({ type: 'files', files: input.files } as const)
  ].filter((source) => source !== false)
  if (given.length !== 1) {
    throw new TypeError(
      `functions.create(${JSON.stringify(input.name)}) needs exactly one of dir, zip, template, files`
    )
  }
  return given[0]
}

function configOf(input: CreateFunctionOptions) {
  return {
    name: input.name,
    runtime: input.runtime,
    handler: input.handler,
    env: input.env,
    timeout: input.timeout,
    memory: input.memory,
    retryNum: input.retryNum,
    replace: input.replace
  }
}

function toFunctionInfo(record: FunctionRecord): FunctionInfo {
  const { name, runtime, handler, memory, timeout, env, retryNum } = record
  return { name, runtime, handler, memory, timeout, env: { ...env }, retryNum }
}

function toTriggerInfo(rule: TriggerRule): TriggerInfo {
  const { id, functionName, bucket, region, event, prefix, suffix, enabled } = rule
  return { id, function: functionName, bucket, region, event, prefix, suffix, enabled }
}

function describeTriggers(rules: TriggerRule[]): string {
  if (rules.length === 0) return 'none'
  return rules
    .map(
      (rule) =>
        `${rule.event} on ${rule.bucket}${rule.prefix ? ` prefix ${rule.prefix}` : ''}${rule.suffix ? ` suffix ${rule.suffix}` : ''}${rule.enabled ? '' : ' (disabled)'}`
    )
    .join('; ')
}

interface DetailLike {
  requestId: string
  functionName: string
  status: InvocationStatus
  message: string | null
  eventName: string | null
  bucket: string | null
  key: string | null
  attempts: number
  durationMs: number | null
  event: unknown
  logs: { text: string }[]
}

function toInvocation(detail: DetailLike): Invocation {
  const succeeded = detail.status === 'succeeded'
  return {
    requestId: detail.requestId,
    function: detail.functionName,
    status: detail.status,
    result: succeeded ? parseResult(detail.message) : undefined,
    error: succeeded || detail.message === null ? undefined : detail.message,
    eventName: detail.eventName,
    bucket: detail.bucket,
    key: detail.key,
    attempts: detail.attempts,
    durationMs: detail.durationMs,
    event: detail.event,
    logs: detail.logs.map((line) => line.text)
  }
}

function parseResult(message: string | null): unknown {
  if (message === null) return undefined
  try {
    return JSON.parse(message)
  } catch {
    return message
  }
}
