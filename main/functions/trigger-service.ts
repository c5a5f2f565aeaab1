/**
 * COS triggers: create, list, update (incl. enable/disable) and delete, with the same
 * checks as the cloud (valid event type, same region, overlap conflicts, limits).
 */
import { randomBytes } from 'node:crypto'
import { parseBucketRef } from '../core/events/bucket-ref.ts'
import { parseTriggerEventName } from '../core/events/event-names.ts'
import { checkNewTrigger } from '../core/events/trigger-checks.ts'
import { QUALIFIERS, type TriggerRule } from '../core/events/trigger-rule.ts'
import { CosError } from '../core/cos/errors.ts'
import type { AppState } from '../store/app-state.ts'
import type { FunctionRegistry } from './registry.ts'

export interface TriggerInput {
  functionName: string
  /** `name-appid`, `name`, or `name-appid.cos.region.myqcloud.com`. */
  bucket: string
  event: string
  prefix?: string
  suffix?: string
  enabled?: boolean
  qualifier?: string
  /** Region of the bucket, when the bucket reference does not say. */
  region?: string
}

export interface TriggerServiceOptions {
  appid: string
  region: string
  now: () => number
  /** The bucket's region when the store knows the bucket. */
  bucketRegion?: (bucket: string) => string | undefined
}

export class TriggerService {
  readonly #state: AppState
  readonly #functions: FunctionRegistry
  readonly #options: TriggerServiceOptions

  constructor(state: AppState, functions: FunctionRegistry, options: TriggerServiceOptions) {
    this.#state = state
    this.#functions = functions
    this.#options = options
  }

  list(filter: { functionName?: string; bucket?: string } = {}): TriggerRule[] {
    return this.#state.triggers.filter(
      (trigger) =>
        (!filter.functionName || trigger.functionName === filter.functionName) &&
        (!filter.bucket || trigger.bucket === filter.bucket)
    )
  }

  get(id: string): TriggerRule {
    const trigger = this.#state.findTrigger(id)
    if (!trigger)
      throw new CosError('ResourceNotFound.Trigger', `No trigger with id ${JSON.stringify(id)}`, { status: 404 })
    return trigger
  }

  add(input: TriggerInput): TriggerRule {
    const rule = this.#build(input, `trg-${randomBytes(4).toString('hex')}`, this.#options.now())
    checkNewTrigger(this.#state.triggers, rule, this.#options.region)
    this.#state.update((data) => {
      data.triggers.push(rule)
    })
    return rule
  }

  update(id: string, patch: Partial<Omit<TriggerInput, 'functionName'>>): TriggerRule {
    const current = this.get(id)
    const rule = this.#build(
      {
        functionName: current.functionName,
        bucket: patch.bucket ?? current.bucket,
        region: patch.region ?? (patch.bucket ? undefined : current.region),
        event: patch.event ?? current.event,
        prefix: patch.prefix ?? current.prefix,
        suffix: patch.suffix ?? current.suffix,
        enabled: patch.enabled ?? current.enabled,
        qualifier: patch.qualifier ?? current.qualifier
      },
      id,
      current.createdAt
    )
    checkNewTrigger(
      this.#state.triggers.filter((trigger) => trigger.id !== id),
      rule,
      this.#options.region
    )
    this.#state.update((data) => {
      data.triggers = data.triggers.map((trigger) => (trigger.id === id ? rule : trigger))
    })
    return rule
  }

  remove(id: string): void {
    this.get(id)
    this.#state.update((data) => {
      data.triggers = data.triggers.filter((trigger) => trigger.id !== id)
    })
  }

  #build(input: TriggerInput, id: string, createdAt: number): TriggerRule {
    this.#functions.require(input.functionName)
    const ref = parseBucketRef(input.bucket, this.#options.appid)
    const qualifier = input.qualifier ?? '$DEFAULT'
    if (!(QUALIFIERS as readonly string[]).includes(qualifier)) {
      throw new CosError(
        'InvalidParameterValue',
        `Invalid qualifier ${JSON.stringify(qualifier)}: use ${QUALIFIERS.join(' or ')}`
      )
    }
    for (const [what, value] of [
      ['prefix', input.prefix],
      ['suffix', input.suffix]
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || value.length > 1024)) {
        throw new CosError('InvalidParameterValue', `Invalid ${what}: a string of at most 1024 characters`)
      }
    }
    return {
      id,
      functionName: input.functionName,
      qualifier,
      bucket: ref.bucket,
      region: ref.region ?? input.region ?? this.#options.bucketRegion?.(ref.bucket) ?? this.#options.region,
      event: parseTriggerEventName(input.event),
      prefix: input.prefix ?? '',
      suffix: input.suffix ?? '',
      enabled: input.enabled ?? true,
      createdAt
    }
  }
}
