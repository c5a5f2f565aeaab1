/** `cos-local logs NAME [--follow]`, `cos-local explain BUCKET KEY`, `cos-local wait --function F [--key K]`. */
import { flag, intFlag, UsageError, type ParsedArgs } from '../cli-args.ts'
import type { ApiClient } from './connection.ts'
import type { CliIo } from './output.ts'

const FOLLOW_POLL_MS = 500

export async function logsCommand(args: ParsedArgs, api: ApiClient, io: CliIo, signal?: AbortSignal): Promise<number> {
  const [, name, ...extra] = args.positional
  if (!name || extra.length > 0)
    throw new UsageError('Usage: cos-local logs NAME [--follow] [--request-id ID] [--limit N]')
  const requestId = flag(args, 'request-id')
  const limit = intFlag(args, 'limit', 1, 20000)
  let after = 0
  const fetchLines = async (): Promise<number> => {
    const { lines } = await api.logs.list({
      query: { function: name, after, requestId: requestId || undefined, limit: limit || undefined }
    })
    for (const line of lines) io.out(line.text + '\n')
    if (lines.length > 0) after = lines.at(-1)!.id
    return lines.length
  }
  await fetchLines()
  if (!args.flags.has('follow')) return 0
  while (!signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))
    if (signal?.aborted) break
    await fetchLines()
  }
  return 0
}

export async function explainCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const [, bucket, key, ...extra] = args.positional
  if (!bucket || key === undefined || extra.length > 0) throw new UsageError('Usage: cos-local explain BUCKET KEY')
  const result = await api.triggers.explain({ query: { bucket, key } })
  const names = new Map(result.triggers.map((trigger) => [trigger.id, trigger]))
  const label = (id: string, fn: string): string => {
    const trigger = names.get(id)
    return trigger ? `${id} (${fn}, ${trigger.bucket} ${trigger.event})` : `${id} (${fn})`
  }
  if (result.triggers.length === 0) io.out('There are no triggers at all. Add one with `cos-local trigger add`.\n')
  if (result.events.length === 0) {
    io.out(`No recent event for ${result.bucket}/${key}. If it happened now, the triggers would do this:\n`)
    for (const hypothetical of result.hypothetical) {
      io.out(`\n${hypothetical.event}:\n`)
      for (const e of hypothetical.explanations) {
        io.out(
          `  ${e.matched ? 'fires' : 'no'}     ${label(e.triggerId, e.functionName)}${e.matched ? '' : `: ${e.reasons.join('; ')}`}\n`
        )
      }
    }
    return 0
  }
  for (const event of result.events) {
    io.out(
      `${new Date(event.time).toISOString()}  ${event.name}  ${event.bucket}/${event.key}  (x-cos-request-id ${event.requestId})\n`
    )
    if (event.explanations.length === 0) io.out('  no triggers existed\n')
    for (const e of event.explanations) {
      io.out(
        `  ${e.matched ? 'fired' : 'no   '}  ${label(e.triggerId, e.functionName)}${e.matched ? '' : `: ${e.reasons.join('; ')}`}\n`
      )
    }
    if (event.invocations.length) io.out(`  invocations: ${event.invocations.join(', ')}\n`)
  }
  return 0
}

export async function waitCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const functionName = flag(args, 'function')
  if (!functionName)
    throw new UsageError('Usage: cos-local wait --function NAME [--key KEY] [--timeout MS] [--since EPOCH_MS]')
  const invocation = await api.invocations.wait({
    query: {
      function: functionName,
      timeout: intFlag(args, 'timeout', 0, 600_000) ?? 30_000,
      key: flag(args, 'key'),
      since: flag(args, 'since')
    }
  })
  io.out(`${invocation.functionName} ${invocation.status} ${invocation.requestId} ${invocation.key ?? ''}\n`)
  return invocation.status === 'succeeded' ? 0 : 1
}
