/** `cos-local trigger add|list|rm|enable|disable`. */
import type { Trigger } from '../../preload/contract/triggers.ts'
import { flag, UsageError, type ParsedArgs } from '../cli-args.ts'
import type { ApiClient } from './connection.ts'
import { table, type CliIo } from './output.ts'

export const TRIGGER_USAGE = `Usage:
  cos-local trigger add --function NAME --bucket BUCKET --events EVENT [--prefix P] [--suffix S] [--disabled]
  cos-local trigger list [--function NAME] [--bucket BUCKET]
  cos-local trigger rm ID
  cos-local trigger enable|disable ID
`

export async function triggerCommand(args: ParsedArgs, api: ApiClient, io: CliIo): Promise<number> {
  const [, sub, id, ...extra] = args.positional
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
  switch (sub) {
    case 'add': {
      const functionName = flag(args, 'function')
      const bucket = flag(args, 'bucket')
      const event = flag(args, 'events') ?? flag(args, 'event')
      if (!functionName || !bucket || !event)
        throw new UsageError(`trigger add needs --function, --bucket and --events\n${TRIGGER_USAGE}`)
      const trigger = await api.triggers.create({
        body: {
          functionName,
          bucket,
          event,
          prefix: flag(args, 'prefix'),
          suffix: flag(args, 'suffix'),
          enabled: args.flags.has('disabled') ? false : undefined
        }
      })
      io.out(`Added trigger ${trigger.id}: ${describe(trigger)}\n`)
      return 0
    }
    case 'list':
    case 'ls': {
      const { triggers } = await api.triggers.list({
        query: { function: flag(args, 'function') || undefined, bucket: flag(args, 'bucket') || undefined }
      })
      if (triggers.length === 0) io.out('No triggers.\n')
      else
        io.out(
          table([
            ['ID', 'FUNCTION', 'BUCKET', 'EVENT', 'PREFIX', 'SUFFIX', 'ENABLED'],
            ...triggers.map((t) => [
              t.id,
              t.functionName,
              t.bucket,
              t.event,
              t.prefix || '-',
              t.suffix || '-',
              t.enabled ? 'yes' : 'no'
            ])
          ])
        )
      return 0
    }
    case 'rm':
    case 'delete':
      await api.triggers.remove({ params: { id: requireId(id) } })
      io.out(`Deleted trigger ${id}.\n`)
      return 0
    case 'enable':
    case 'disable': {
      const trigger = await api.triggers.update({ params: { id: requireId(id) }, body: { enabled: sub === 'enable' } })
      io.out(`Trigger ${trigger.id} is ${trigger.enabled ? 'enabled' : 'disabled'}.\n`)
      return 0
    }
    default:
      throw new UsageError(sub ? `unknown trigger command "${sub}"\n${TRIGGER_USAGE}` : TRIGGER_USAGE)
  }
}

function requireId(id: string | undefined): string {
  if (!id) throw new UsageError(`a trigger ID is required (see \`cos-local trigger list\`)\n${TRIGGER_USAGE}`)
  return id
}

function describe(trigger: Trigger): string {
  const filters = [
    trigger.prefix && `prefix "${trigger.prefix}"`,
    trigger.suffix && `suffix "${trigger.suffix}"`
  ].filter(Boolean)
  return `${trigger.functionName} ← ${trigger.bucket} ${trigger.event}${filters.length ? ` (${filters.join(', ')})` : ''}${trigger.enabled ? '' : ' [disabled]'}`
}
