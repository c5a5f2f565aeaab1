/** `cos-local function create|list|invoke|rm|debug|templates`. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CodeSource } from '../../preload/contract/functions.ts'
import { flag, intFlag, UsageError, type ParsedArgs } from '../cli-args.ts'
import { resultWithoutTrace } from '../core/functions/run-log.ts'
import type { ApiClient } from './connection.ts'
import { table, type CliIo } from './output.ts'

export const FUNCTION_USAGE = `Usage:
  cos-local function create NAME (--dir DIR | --zip FILE | --template ID) [--runtime nodejs|python3]
                        [--handler index.main_handler] [--timeout S] [--memory MB] [--env K=V]...
                        [--retries 0-2] [--replace]
  cos-local function list
  cos-local function invoke NAME [--event FILE|-] [--template EVENT] [--bucket B] [--key K]
  cos-local function rm NAME
  cos-local function debug NAME [--off]     Node --inspect / Python debugpy on a free port, no timeouts
  cos-local function templates
`

export async function functionCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const [, sub, name, ...extra] = args.positional
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
  switch (sub) {
    case 'create':
      return create(requireName(name), args, api, io)
    case 'list':
    case 'ls': {
      const { functions } = await api.functions.list()
      if (functions.length === 0) io.out('No functions. Create one with `cos-local function create NAME --dir DIR`.\n')
      else
        io.out(
          table([
            ['NAME', 'RUNTIME', 'HANDLER', 'MEMORY', 'TIMEOUT', 'SOURCE'],
            ...functions.map((fn) => [fn.name, fn.runtime, fn.handler, `${fn.memory}MB`, `${fn.timeout}s`, fn.source])
          ])
        )
      return 0
    }
    case 'invoke':
      return invoke(requireName(name), args, api, io)
    case 'rm':
    case 'delete': {
      await api.functions.remove({ params: { name: requireName(name) } })
      io.out(`Deleted function ${name} and its triggers.\n`)
      return 0
    }
    case 'debug': {
      const info = await api.functions.debug({
        params: { name: requireName(name) },
        body: { enabled: !args.flags.has('off') }
      })
      io.out(info.message + '\n')
      if (info.port !== undefined) io.out(`\nPort: ${info.host}:${info.port}\n`)
      if (info.devtoolsUrl) io.out(`DevTools: ${info.devtoolsUrl}\n`)
      if (info.vscode)
        io.out(`VS Code (.vscode/launch.json "configurations"):\n${JSON.stringify(info.vscode, null, 2)}\n`)
      if (info.enabled) io.out(`\nStop with: cos-local function debug ${info.name} --off\n`)
      return 0
    }
    case 'templates': {
      const { templates } = await api.functions.templates()
      io.out(table([['TEMPLATE', 'RUNTIME', 'DESCRIPTION'], ...templates.map((t) => [t.id, t.runtime, t.description])]))
      return 0
    }
    default:
      throw new UsageError(sub ? `unknown function command "${sub}"\n${FUNCTION_USAGE}` : FUNCTION_USAGE)
  }
}

function requireName(name: string | undefined): string {
  if (!name) throw new UsageError(`a function NAME is required\n${FUNCTION_USAGE}`)
  return name
}

async function create(name: string, args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const sources = (['dir', 'zip', 'template'] as const).filter((source) => flag(args, source) !== undefined)
  if (sources.length !== 1) throw new UsageError('give exactly one of --dir DIR, --zip FILE or --template ID')
  const source = sources[0]!
  const value = flag(args, source)!
  const code: CodeSource =
    source === 'template' ? { type: 'template', template: value } : { type: source, path: resolve(value) }
  const env: Record<string, string> = {}
  for (const pair of args.flags.get('env') ?? []) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`--env wants K=V, got "${pair}"`)
    env[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  const fn = await api.functions.create({
    body: {
      name,
      code,
      runtime: flag(args, 'runtime'),
      handler: flag(args, 'handler'),
      timeout: intFlag(args, 'timeout', 1, 900),
      memory: intFlag(args, 'memory', 64, 3072),
      retryNum: intFlag(args, 'retries', 0, 2),
      env: Object.keys(env).length ? env : undefined,
      replace: args.flags.has('replace') || undefined
    }
  })
  io.out(`Created function ${fn.name} (${fn.runtime}, ${fn.handler}, ${fn.memory} MB, ${fn.timeout} s).\n`)
  return 0
}

async function invoke(name: string, args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const eventFile = flag(args, 'event')
  let event: unknown
  if (eventFile !== undefined) {
    const text = eventFile === '-' ? readFileSync(0, 'utf8') : readFileSync(resolve(eventFile), 'utf8')
    try {
      event = JSON.parse(text)
    } catch {
      throw new UsageError(`--event ${eventFile} is not valid JSON`)
    }
  }
  const result = await api.functions.invoke({
    params: { name },
    body: { event, template: flag(args, 'template'), bucket: flag(args, 'bucket'), key: flag(args, 'key') }
  })
  for (const line of result.logs) io.out(line.text + '\n')
  // the trace is in the ERROR line above
  io.out(`\nStatus: ${result.status}\nResult: ${resultWithoutTrace(result.message ?? '')}\n`)
  return result.status === 'succeeded' ? 0 : 1
}
