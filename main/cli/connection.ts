/**
 * How a CLI command reaches a running COS Local: `--endpoint URL --token T`, or the
 * `instance.json` that `serve` writes in its data folder (`--data DIR`, default data dir).
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createApiClient, type ApiClient, type AppApiError } from '../../preload/contract/client.ts'
import { flag, type ParsedArgs } from '../cli-args.ts'
import { defaultDataDir, instanceFile } from '../paths.ts'

export class CliError extends Error {}

export type { ApiClient }

export interface Connection {
  appApiUrl: string
  token: string
}

export function findConnection(args: ParsedArgs): Connection {
  const endpoint = flag(args, 'endpoint')
  const token = flag(args, 'token')
  if (endpoint) {
    if (!token) throw new CliError('--endpoint needs --token (printed in the UI URL by `cos-local serve`)')
    return { appApiUrl: endpoint.replace(/\/+$/, ''), token }
  }
  const dataDir = resolve(flag(args, 'data') ?? defaultDataDir())
  const file = instanceFile(dataDir)
  if (!existsSync(file)) {
    throw new CliError(
      `No running COS Local found for ${dataDir} (no instance.json). Start one with \`cos-local serve --data ${dataDir}\`, or pass --endpoint URL --token T.`
    )
  }
  let parsed: { appApiUrl?: string; token?: string }
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { appApiUrl?: string; token?: string }
  } catch {
    throw new CliError(`${file} is not valid JSON`)
  }
  if (!parsed.appApiUrl || !parsed.token) throw new CliError(`${file} lacks appApiUrl or token`)
  return { appApiUrl: parsed.appApiUrl, token: parsed.token }
}

/** The contract's typed client for a found instance. */
export function connect(connection: Connection): ApiClient {
  return createApiClient({ baseUrl: connection.appApiUrl, token: connection.token })
}

/** How an app-API failure reads on the command line. */
export function describeApiError(error: AppApiError): string {
  if (error.code === 'NetworkError') return `${error.message}. Is \`cos-local serve\` running?`
  return `${error.code}: ${error.message}`
}
