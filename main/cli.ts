/**
 * The headless entry: `cos-local serve` runs the core; every other command talks to a
 * running instance over the app API.
 */
import { UsageError } from './cli-args.ts'
import { serve, SERVE_USAGE } from './serve.ts'

const USAGE = `COS Local — Tencent COS + SCF COS triggers on your laptop

Usage: cos-local <command> [options]

  serve                     start the emulator (COS API, event bus, functions, UI)
  function create|list|invoke|rm|debug|templates
  trigger add|list|rm
  logs NAME [--follow]
  explain BUCKET KEY        why did (or didn't) a trigger fire for this object?
  events list|replay        the event history; deliver a recorded event again
  deadletters list|redrive  dead letters; deliver one again after fixing the code
  faults set|clear|list     inject failures, timeouts, latency per function
  bus pause|resume|status   hold or release every delivery
  import FILE               serverless.yml / template.yaml → functions + triggers
  export                    triggers as serverless.yml
  seed DIR --bucket B       upload a folder tree (skips objects whose MD5 matches)
  snapshot save|load FILE   buckets, objects, functions and triggers in one archive

Client commands find the running instance with --data DIR or --endpoint URL --token T.
Run "cos-local serve --help" for server options.
`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n' + SERVE_USAGE)
    return command ? 0 : 2
  }
  if (command === 'serve') {
    await serve(rest)
    return -1
  }
  const { runClientCommand } = await import('./cli/client-commands.ts')
  return runClientCommand(argv)
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`cos-local: ${error.message}\n`)
      process.exit(2)
    }
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      process.stderr.write(
        `cos-local: ${(error as Error).message} — is another COS Local running? Use --port / --ui-port.\n`
      )
    } else {
      process.stderr.write(`cos-local: ${error instanceof Error ? error.message : String(error)}\n`)
    }
    process.exit(1)
  }
)
