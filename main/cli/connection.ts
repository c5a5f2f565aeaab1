/**
 * How a CLI command reaches a running COS Local: `--endpoint URL --token T`, or the
 * `instance.json` that `serve` writes in its data folder (`--data DIR`, default data dir).
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { flag, type ParsedArgs } from '../cli-args.ts'
import { defaultDataDir, instanceFile } from '../paths.ts'

export class CliError extends Error {}

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

export class ApiClient {
  readonly #connection: Connection

  constructor(connection: Connection) {
    this.#connection = connection
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response
    try {
      response = await fetch(this.#connection.appApiUrl + path, {
        method,
        headers: { authorization: `Bearer ${this.#connection.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
      throw new CliError(
        `Cannot reach COS Local at ${this.#connection.appApiUrl} (${cause}). Is \`cos-local serve\` running?`
      )
    }
    const payload = (await response.json().catch(() => undefined)) as
      (T & { error?: { code: string; message: string } }) | undefined
    if (!response.ok) {
      const error = payload?.error
      throw new CliError(error ? `${error.code}: ${error.message}` : `HTTP ${response.status} ${response.statusText}`)
    }
    return payload as T
  }
}
