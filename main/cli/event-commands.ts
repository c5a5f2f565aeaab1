/**
 * `cos-local events list|replay`, `cos-local deadletters list|redrive`,
 * `cos-local faults set|clear|list` and `cos-local bus pause|resume|status`.
 */
import { flag, intFlag, UsageError, type ParsedArgs } from '../cli-args.ts'
import type { ApiClient } from './connection.ts'
import { table, type CliIo } from './output.ts'

export const EVENT_USAGE = `Event history, replay and fault injection:
  cos-local events list [--bucket B] [--prefix P] [--function F] [--status S[,S]] [--all] [--limit N]
  cos-local events replay SEQ [--function F]     deliver a recorded event again (new invocations)
  cos-local deadletters list
  cos-local deadletters redrive REQUEST_ID       deliver a dead letter's event again
  cos-local faults set FUNCTION [--fail N] [--timeout N] [--latency MS]
  cos-local faults clear FUNCTION | faults list
  cos-local bus pause|resume|status              hold or release every delivery
`

const time = (ms: number): string => new Date(ms).toISOString()

export async function eventsCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const [, sub, seqText, ...extra] = args.positional
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
  if (sub === 'list' || sub === 'ls') {
    const page = await api.history.list({
      query: {
        bucket: flag(args, 'bucket'),
        prefix: flag(args, 'prefix'),
        function: flag(args, 'function'),
        status: flag(args, 'status'),
        unmatched: args.flags.has('all') ? '1' : undefined,
        limit: intFlag(args, 'limit', 1, 1000) ?? 50
      }
    })
    io.out(
      table([
        ['SEQ', 'TIME', 'EVENT', 'OBJECT', 'STATUS', 'FUNCTIONS', 'TRIES'],
        ...page.events.map((event) => [
          String(event.seq),
          time(event.time),
          event.name,
          `${event.bucket}/${event.key}`,
          event.status,
          event.functions.join(',') || '-',
          String(event.attempts)
        ])
      ])
    )
    const hidden = page.hiddenUnmatched > 0 ? `; ${page.hiddenUnmatched} unmatched hidden (--all shows them)` : ''
    io.out(`${page.total} events${hidden}; ${page.stored} stored (newest ${page.retention} kept)\n`)
    return 0
  }
  if (sub === 'replay') {
    if (!seqText || !/^\d+$/.test(seqText)) throw new UsageError('Usage: cos-local events replay SEQ [--function F]')
    const functionName = flag(args, 'function')
    const { invocations } = await api.history.replay({
      params: { seq: seqText },
      body: functionName ? { function: functionName } : {}
    })
    for (const invocation of invocations)
      io.out(`Replayed event #${seqText} to ${invocation.functionName}: RequestId ${invocation.requestId}\n`)
    return 0
  }
  throw new UsageError(EVENT_USAGE)
}

export async function deadLettersCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const [, sub, requestId, ...extra] = args.positional
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
  if (sub === 'list' || sub === 'ls' || sub === undefined) {
    const { invocations } = await api.invocations.deadLetters()
    if (invocations.length === 0) {
      io.out('No dead letters.\n')
      return 0
    }
    io.out(
      table([
        ['REQUEST ID', 'FUNCTION', 'OBJECT', 'FAILED AT', 'ATTEMPTS', 'REDRIVEN', 'ERROR'],
        ...invocations.map((item) => [
          item.requestId,
          item.functionName,
          item.key === null ? '-' : `${item.bucket}/${item.key}`,
          item.finishedAt === null ? '-' : time(item.finishedAt),
          String(item.attempts),
          item.redrives.map((redrive) => `${redrive.requestId.slice(0, 8)} ${redrive.status}`).join(', ') || '-',
          (item.message ?? '').slice(0, 80)
        ])
      ])
    )
    return 0
  }
  if (sub === 'redrive') {
    if (!requestId) throw new UsageError('Usage: cos-local deadletters redrive REQUEST_ID')
    const created = await api.invocations.redrive({ params: { requestId } })
    io.out(`Redriven ${requestId} as RequestId ${created.requestId} (${created.functionName})\n`)
    return 0
  }
  throw new UsageError(EVENT_USAGE)
}

export async function faultsCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const [, sub, name] = args.positional
  if (sub === 'list' || sub === 'ls') {
    const { faults } = await api.faults.list()
    const rows = Object.entries(faults)
    if (rows.length === 0) io.out('No faults injected.\n')
    for (const [fn, rule] of rows)
      io.out(`${fn}: fail next ${rule.failNext}, time out next ${rule.timeoutNext}, +${rule.latencyMs} ms\n`)
    return 0
  }
  if (!name) throw new UsageError(EVENT_USAGE)
  if (sub === 'set') {
    const rule = await api.faults.set({
      params: { function: name },
      body: {
        failNext: intFlag(args, 'fail', 0, 1000),
        timeoutNext: intFlag(args, 'timeout', 0, 1000),
        latencyMs: intFlag(args, 'latency', 0, 60_000)
      }
    })
    io.out(`${name}: fail next ${rule.failNext}, time out next ${rule.timeoutNext}, +${rule.latencyMs} ms\n`)
    return 0
  }
  if (sub === 'clear') {
    await api.faults.clear({ params: { function: name } })
    io.out(`${name}: no faults\n`)
    return 0
  }
  throw new UsageError(EVENT_USAGE)
}

export async function busCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const sub = args.positional[1]
  const state =
    sub === 'pause' || sub === 'resume'
      ? await api.bus.set({ body: { paused: sub === 'pause' } })
      : sub === 'status' || sub === undefined
        ? await api.bus.get()
        : undefined
  if (!state) throw new UsageError(EVENT_USAGE)
  io.out(`Delivery ${state.paused ? 'paused' : 'running'}: ${state.held} held, ${state.inFlight} attempt(s) running\n`)
  return 0
}
