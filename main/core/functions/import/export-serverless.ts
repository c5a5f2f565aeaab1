/**
 * Triggers (and their functions) as a Serverless Framework serverless.yml document, ready
 * to deploy to SCF. Pure: returns the object; the caller turns it into YAML.
 */
import type { FunctionConfig } from '../function-config.ts'
import type { TriggerRule } from '../../events/trigger-rule.ts'

const RUNTIME_NAMES = { nodejs: 'Nodejs18.15', python3: 'Python3.9' } as const

export function serverlessDocument(
  functions: readonly FunctionConfig[],
  triggers: readonly TriggerRule[],
  region: string
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const fn of functions) {
    const events = triggers
      .filter((trigger) => trigger.functionName === fn.name)
      .map((trigger) => {
        const domain = `${trigger.bucket}.cos.${trigger.region}.myqcloud.com`
        const filter: Record<string, string> = {}
        if (trigger.prefix) filter.prefix = trigger.prefix
        if (trigger.suffix) filter.suffix = trigger.suffix
        return {
          cos: {
            name: domain,
            parameters: {
              bucket: domain,
              ...(Object.keys(filter).length ? { filter } : {}),
              events: trigger.event,
              enable: trigger.enabled
            }
          }
        }
      })
    out[fn.name] = {
      handler: fn.handler,
      runtime: RUNTIME_NAMES[fn.runtime],
      memorySize: fn.memory,
      timeout: fn.timeout,
      ...(fn.description ? { description: fn.description } : {}),
      ...(Object.keys(fn.env).length ? { environment: { variables: { ...fn.env } } } : {}),
      ...(events.length ? { events } : {})
    }
  }
  return {
    service: 'cos-local-export',
    provider: { name: 'tencent', region },
    plugins: ['serverless-tencent-scf'],
    functions: out
  }
}
