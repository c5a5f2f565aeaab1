/**
 * serverless.yml with COS events (cos-scf.md §2.5), in its two forms:
 * - Serverless Framework (serverless-tencent-scf plugin): `functions: { name: { handler, events: [{ cos: { parameters } }] } }`
 * - Serverless Components: `component: scf` with `inputs: { name, src, handler, events }`, or
 *   `component: multi-scf` with `inputs: { src, functions, triggers: [{ type: cos, function, parameters }] }`.
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
  type PlannedFunction,
  type PlannedTrigger,
  type Yaml
} from './import-plan.ts'

export function isServerlessYml(doc: Yaml): boolean {
  return isObject(doc.functions) || typeof doc.component === 'string' || isObject(doc.inputs)
}

export function planServerlessYml(doc: Yaml): ImportPlan {
  if (typeof doc.component === 'string' || isObject(doc.inputs)) return planComponents(doc)
  return planFramework(doc)
}

function planFramework(doc: Yaml): ImportPlan {
  const provider = isObject(doc.provider) ? doc.provider : {}
  if (provider.name !== undefined && provider.name !== 'tencent') {
    throw importError(
      `provider.name is ${JSON.stringify(provider.name)}; only Tencent Cloud (tencent) serverless.yml files can be imported`
    )
  }
  const functions = doc.functions
  if (!isObject(functions)) throw importError('serverless.yml has no functions: mapping')
  const plan: ImportPlan = { format: 'serverless-framework', functions: [], triggers: [], warnings: [] }
  for (const [name, raw] of Object.entries(functions)) {
    const fn = isObject(raw) ? raw : {}
    const where = `functions.${name}`
    plan.functions.push({
      config: {
        name,
        handler: optionalString(fn.handler, `${where}.handler`),
        runtime: optionalString(fn.runtime ?? provider.runtime, `${where}.runtime`),
        memory: optionalNumber(fn.memorySize ?? provider.memorySize, `${where}.memorySize`),
        timeout: optionalNumber(fn.timeout ?? provider.timeout, `${where}.timeout`),
        env: {
          ...environmentOf(provider.environment, 'provider.environment'),
          ...environmentOf(fn.environment, `${where}.environment`)
        },
        description: optionalString(fn.description, `${where}.description`)
      },
      codePath: '.'
    })
    const events = fn.events ?? []
    if (!Array.isArray(events)) throw importError(`${where}.events must be a list`)
    events.forEach((event, index) => {
      const kind = isObject(event) ? Object.keys(event)[0] : undefined
      if (kind !== 'cos') {
        plan.warnings.push(
          `${where}.events[${index}]: ${kind ?? 'unknown'} events are not supported by COS Local; skipped`
        )
        return
      }
      const cos = (event as Yaml).cos
      const parameters = isObject(cos) && isObject(cos.parameters) ? cos.parameters : undefined
      if (!parameters) throw importError(`${where}.events[${index}].cos needs parameters: { bucket, events }`)
      plan.triggers.push(...cosTriggers(name, parameters, `${where}.events[${index}].cos.parameters`, true))
    })
  }
  return plan
}

function planComponents(doc: Yaml): ImportPlan {
  const component = optionalString(doc.component, 'component') ?? 'scf'
  const inputs = isObject(doc.inputs) ? doc.inputs : undefined
  if (!inputs) throw importError('serverless.yml (Components) has no inputs: mapping')
  const plan: ImportPlan = { format: 'serverless-components', functions: [], triggers: [], warnings: [] }
  if (component !== 'scf' && component !== 'multi-scf') {
    throw importError(`component ${JSON.stringify(component)} is not supported; COS Local imports scf and multi-scf`)
  }
  const src = sourcePath(inputs.src, 'inputs.src')
  if (component === 'scf') {
    const name = optionalString(inputs.name ?? doc.name, 'inputs.name')
    if (!name) throw importError('inputs.name (the function name) is required')
    plan.functions.push({ config: functionConfig(name, inputs, 'inputs'), codePath: src })
    const events = inputs.events ?? []
    if (!Array.isArray(events)) throw importError('inputs.events must be a list')
    events.forEach((event, index) => {
      const kind = isObject(event) ? Object.keys(event)[0] : undefined
      if (kind !== 'cos') {
        plan.warnings.push(
          `inputs.events[${index}]: ${kind ?? 'unknown'} events are not supported by COS Local; skipped`
        )
        return
      }
      const cos = (event as Yaml).cos
      const parameters = isObject(cos) && isObject(cos.parameters) ? cos.parameters : undefined
      if (!parameters) throw importError(`inputs.events[${index}].cos needs parameters: { bucket, events }`)
      plan.triggers.push(...componentTriggers(name, parameters, `inputs.events[${index}].cos.parameters`, plan))
    })
    return plan
  }
  const functions = inputs.functions
  if (!isObject(functions)) throw importError('inputs.functions (multi-scf) must be a mapping')
  const names = new Map<string, string>()
  for (const [key, raw] of Object.entries(functions)) {
    const fn = isObject(raw) ? raw : {}
    const name = optionalString(fn.name, `inputs.functions.${key}.name`) ?? key
    names.set(key, name)
    plan.functions.push({ config: functionConfig(name, fn, `inputs.functions.${key}`), codePath: src })
  }
  const triggers = inputs.triggers ?? []
  if (!Array.isArray(triggers)) throw importError('inputs.triggers must be a list')
  triggers.forEach((raw, index) => {
    const trigger = isObject(raw) ? raw : {}
    const where = `inputs.triggers[${index}]`
    if (trigger.type !== 'cos') {
      plan.warnings.push(
        `${where}: ${String(trigger.type ?? 'unknown')} triggers are not supported by COS Local; skipped`
      )
      return
    }
    const key = optionalString(trigger.function, `${where}.function`)
    const name = key === undefined ? undefined : names.get(key)
    if (!name) throw importError(`${where}.function ${JSON.stringify(key)} is not one of inputs.functions`)
    if (!isObject(trigger.parameters)) throw importError(`${where} needs parameters: { bucket, events }`)
    plan.triggers.push(...componentTriggers(name, trigger.parameters, `${where}.parameters`, plan))
  })
  return plan
}

function functionConfig(name: string, fn: Yaml, where: string): PlannedFunction['config'] {
  return {
    name,
    handler: optionalString(fn.handler, `${where}.handler`),
    runtime: optionalString(fn.runtime, `${where}.runtime`),
    memory: optionalNumber(fn.memorySize, `${where}.memorySize`),
    timeout: optionalNumber(fn.timeout, `${where}.timeout`),
    env: environmentOf(fn.environment, `${where}.environment`),
    description: optionalString(fn.description, `${where}.description`),
    retryNum: optionalNumber(fn.retryNum, `${where}.retryNum`)
  }
}

/** Components document `enable` as defaulting to false. */
function componentTriggers(functionName: string, parameters: Yaml, where: string, plan: ImportPlan): PlannedTrigger[] {
  if (parameters.enable === undefined) {
    plan.warnings.push(
      `${where}: enable is not set; Serverless Components default it to false, so the trigger is imported disabled`
    )
  }
  return cosTriggers(functionName, parameters, where, false)
}

function cosTriggers(
  functionName: string,
  parameters: Yaml,
  where: string,
  enabledByDefault: boolean
): PlannedTrigger[] {
  const bucket = optionalString(parameters.bucket, `${where}.bucket`)
  if (!bucket) throw importError(`${where}.bucket is required`)
  const filter = isObject(parameters.filter) ? parameters.filter : {}
  return eventList(parameters.events, `${where}.events`).map((event) => ({
    functionName,
    bucket,
    event,
    prefix: optionalString(filter.prefix, `${where}.filter.prefix`) ?? '',
    suffix: optionalString(filter.suffix, `${where}.filter.suffix`) ?? '',
    enabled: enabledOf(parameters.enable, enabledByDefault, `${where}.enable`),
    qualifier: optionalString(parameters.qualifier, `${where}.qualifier`)
  }))
}

function sourcePath(src: unknown, where: string): string {
  if (src === undefined || src === null) return '.'
  if (typeof src === 'string') return src
  if (isObject(src)) {
    if (src.bucket !== undefined || src.object !== undefined)
      throw importError(`${where}: code in a COS bucket is not supported; use a local src folder`)
    const path = optionalString(src.src, `${where}.src`)
    if (path) return path
  }
  throw importError(`${where} must be a folder path or { src: folder }`)
}
