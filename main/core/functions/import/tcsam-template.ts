/**
 * TCSAM `template.yaml` (SCF CLI), cos-scf.md §2.5: `Resources: { <namespace>: { Type:
 * TencentCloud::Serverless::Namespace, <function>: { Type: TencentCloud::Serverless::Function,
 * Properties: { CodeUri, Handler, Runtime, MemorySize, Timeout, Environment, Events } } } }`,
 * with `Globals.Function` defaults. COS events: `{ Type: COS, Properties: { Bucket, Events, Filter, Enable } }`.
 */
import {
  enabledOf,
  environmentOf,
  eventList,
  importError,
  isObject,
  optionalNumber,
  optionalString,
  type ImportPlan,
  type Yaml
} from './import-plan.ts'

const NAMESPACE = 'TencentCloud::Serverless::Namespace'
const FUNCTION = 'TencentCloud::Serverless::Function'

export function isTcsamTemplate(doc: Yaml): boolean {
  return isObject(doc.Resources)
}

export function planTcsamTemplate(doc: Yaml): ImportPlan {
  const resources = doc.Resources as Yaml
  const globals = isObject(doc.Globals) && isObject(doc.Globals.Function) ? doc.Globals.Function : {}
  const plan: ImportPlan = { format: 'tcsam', functions: [], triggers: [], warnings: [] }
  for (const [namespace, rawNamespace] of Object.entries(resources)) {
    if (!isObject(rawNamespace) || rawNamespace.Type !== NAMESPACE) {
      plan.warnings.push(`Resources.${namespace}: not a ${NAMESPACE}; skipped`)
      continue
    }
    for (const [name, rawFunction] of Object.entries(rawNamespace)) {
      if (name === 'Type') continue
      const where = `Resources.${namespace}.${name}`
      if (!isObject(rawFunction) || rawFunction.Type !== FUNCTION) {
        plan.warnings.push(`${where}: not a ${FUNCTION}; skipped`)
        continue
      }
      const props = isObject(rawFunction.Properties) ? rawFunction.Properties : {}
      if (props.Type !== undefined && props.Type !== 'Event') {
        throw importError(
          `${where}.Properties.Type is ${JSON.stringify(props.Type)}; COS Local runs event functions only`
        )
      }
      const codeUri = props.CodeUri ?? globals.CodeUri ?? '.'
      if (typeof codeUri !== 'string')
        throw importError(`${where}.Properties.CodeUri must be a local folder (COS code locations are not supported)`)
      plan.functions.push({
        config: {
          name,
          namespace,
          handler: optionalString(props.Handler ?? globals.Handler, `${where}.Properties.Handler`),
          runtime: optionalString(props.Runtime ?? globals.Runtime, `${where}.Properties.Runtime`),
          memory: optionalNumber(props.MemorySize ?? globals.MemorySize, `${where}.Properties.MemorySize`),
          timeout: optionalNumber(props.Timeout ?? globals.Timeout, `${where}.Properties.Timeout`),
          env: {
            ...environmentOf(globals.Environment, 'Globals.Function.Environment'),
            ...environmentOf(props.Environment, `${where}.Properties.Environment`)
          },
          description: optionalString(props.Description, `${where}.Properties.Description`)
        },
        codePath: codeUri
      })
      const events = props.Events ?? {}
      if (!isObject(events)) throw importError(`${where}.Properties.Events must be a mapping`)
      for (const [eventName, rawEvent] of Object.entries(events)) {
        const eventWhere = `${where}.Properties.Events.${eventName}`
        if (!isObject(rawEvent) || rawEvent.Type !== 'COS') {
          const type = isObject(rawEvent) ? String(rawEvent.Type) : 'unknown'
          plan.warnings.push(`${eventWhere}: ${type} events are not supported by COS Local; skipped`)
          continue
        }
        const p = isObject(rawEvent.Properties) ? rawEvent.Properties : {}
        const bucket = optionalString(p.Bucket, `${eventWhere}.Properties.Bucket`)
        if (!bucket) throw importError(`${eventWhere}.Properties.Bucket is required`)
        const filter = isObject(p.Filter) ? p.Filter : {}
        for (const event of eventList(p.Events, `${eventWhere}.Properties.Events`)) {
          plan.triggers.push({
            functionName: name,
            bucket,
            event,
            prefix: optionalString(filter.Prefix, `${eventWhere}.Properties.Filter.Prefix`) ?? '',
            suffix: optionalString(filter.Suffix, `${eventWhere}.Properties.Filter.Suffix`) ?? '',
            enabled: enabledOf(p.Enable, true, `${eventWhere}.Properties.Enable`)
          })
        }
      }
    }
  }
  if (plan.functions.length === 0)
    throw importError('template.yaml defines no TencentCloud::Serverless::Function under a namespace in Resources')
  return plan
}
