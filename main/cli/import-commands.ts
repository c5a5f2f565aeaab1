/** `cos-local import FILE` and `cos-local export`. */
import { readFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { UsageError, type ParsedArgs } from '../cli-args.ts'
import { CliError, type ApiClient } from './connection.ts'
import type { CliIo } from './output.ts'

export async function importCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const [, file, ...extra] = args.positional
  if (!file || extra.length > 0)
    throw new UsageError('Usage: cos-local import FILE [--replace]   (serverless.yml or template.yaml)')
  const path = resolve(file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`)
  }
  const result = await api.config.import({
    body: { text, filename: basename(path), baseDir: dirname(path), replace: args.flags.has('replace') || undefined }
  })
  io.out(`Imported ${result.functions.length} function(s): ${result.functions.join(', ') || '-'}\n`)
  io.out(`Added ${result.triggers.length} trigger(s): ${result.triggers.join(', ') || '-'}\n`)
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`)
  return 0
}

export async function exportCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  if (args.positional.length > 1) throw new UsageError('Usage: cos-local export')
  const result = await api.config.export()
  io.out(result.text)
  return 0
}
