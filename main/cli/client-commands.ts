/**
 * Every CLI command but `serve`: they talk to a running instance over the app API.
 * Exit codes: 0 ok, 1 error (readable message on stderr), 2 usage error.
 */
import { parseArgs, UsageError } from '../cli-args.ts'
import { AppApiError } from '../../preload/contract/client.ts'
import { CliError, connect, describeApiError, findConnection, type ApiClient } from './connection.ts'
import { FUNCTION_USAGE, functionCommand } from './function-commands.ts'
import { busCommand, deadLettersCommand, EVENT_USAGE, eventsCommand, faultsCommand } from './event-commands.ts'
import { exportCommand, importCommand } from './import-commands.ts'
import { explainCommand, logsCommand, waitCommand } from './log-commands.ts'
import { processIo, type CliIo } from './output.ts'
import { seedCommand, snapshotCommand, STATE_USAGE } from './state-commands.ts'
import { TRIGGER_USAGE, triggerCommand } from './trigger-commands.ts'

const BOOLEAN_FLAGS = new Set(['follow', 'disabled', 'replace', 'help', 'off', 'all'])

export const CLIENT_USAGE = `${FUNCTION_USAGE}${TRIGGER_USAGE}${STATE_USAGE}${EVENT_USAGE}Other commands:
  cos-local logs NAME [--follow] [--request-id ID]
  cos-local explain BUCKET KEY
  cos-local wait --function NAME [--key KEY] [--timeout MS]
  cos-local import FILE [--replace]          serverless.yml or template.yaml
  cos-local export                           triggers as serverless.yml

Connection: --data DIR (reads DIR/instance.json) or --endpoint URL --token T.
`

export async function runClientCommand(argv: string[], io: CliIo = processIo, signal?: AbortSignal): Promise<number> {
  try {
    const args = parseArgs(argv, BOOLEAN_FLAGS)
    const command = args.positional[0]
    if (args.flags.has('help')) {
      io.out(CLIENT_USAGE)
      return 0
    }
    const api = (): ApiClient => connect(findConnection(args))
    switch (command) {
      case 'function':
      case 'functions':
        return await functionCommand(args, api(), io)
      case 'trigger':
      case 'triggers':
        return await triggerCommand(args, api(), io)
      case 'logs':
        return await logsCommand(args, api(), io, signal ?? interruptSignal())
      case 'explain':
        return await explainCommand(args, api(), io)
      case 'wait':
        return await waitCommand(args, api(), io)
      case 'import':
        return await importCommand(args, api(), io)
      case 'export':
        return await exportCommand(args, api(), io)
      case 'events':
        return await eventsCommand(args, api(), io)
      case 'deadletters':
      case 'dead-letters':
        return await deadLettersCommand(args, api(), io)
      case 'faults':
        return await faultsCommand(args, api(), io)
      case 'bus':
        return await busCommand(args, api(), io)
      case 'seed':
        return await seedCommand(args, io)
      case 'snapshot':
        return await snapshotCommand(args, io)
      default:
        throw new UsageError(`unknown command "${command ?? ''}"\n${CLIENT_USAGE}`)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cos-local: ${error.message}\n`)
      return 2
    }
    if (error instanceof AppApiError) {
      io.err(`cos-local: ${describeApiError(error)}\n`)
      return 1
    }
    if (error instanceof CliError) {
      io.err(`cos-local: ${error.message}\n`)
      return 1
    }
    io.err(`cos-local: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

/** Ctrl-C ends `logs --follow` cleanly. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  return controller.signal
}
