/**
 * COS trigger event types (SCF doc 583/9707): the concrete names an ObjectEvent carries,
 * plus the two `*` families a trigger may subscribe to. Anything else is rejected with
 * the list of valid names.
 */
import { CosError } from '../cos/errors.ts'
import { CONCRETE_EVENT_NAMES, type ConcreteEventName } from './object-event.ts'

export const WILDCARD_EVENT_NAMES = ['cos:ObjectCreated:*', 'cos:ObjectRemove:*'] as const

/** Every event type a trigger may name, in the order the SCF console lists them. */
export const TRIGGER_EVENT_NAMES = [
  'cos:ObjectCreated:*',
  'cos:ObjectCreated:Put',
  'cos:ObjectCreated:Post',
  'cos:ObjectCreated:Copy',
  'cos:ObjectCreated:CompleteMultipartUpload',
  'cos:ObjectCreated:Origin',
  'cos:ObjectCreated:Replication',
  'cos:ObjectRemove:*',
  'cos:ObjectRemove:Delete',
  'cos:ObjectRemove:DeleteMarkerCreated',
  'cos:ObjectRestore:Post',
  'cos:ObjectRestore:Completed'
] as const

export type TriggerEventName = (typeof TRIGGER_EVENT_NAMES)[number]

export function isTriggerEventName(name: string): name is TriggerEventName {
  return (TRIGGER_EVENT_NAMES as readonly string[]).includes(name)
}

export function isConcreteEventName(name: string): name is ConcreteEventName {
  return (CONCRETE_EVENT_NAMES as readonly string[]).includes(name)
}

/** The concrete events a trigger event type covers (`*` covers its whole family). */
export function expandEventName(name: TriggerEventName): ConcreteEventName[] {
  if (name.endsWith(':*')) {
    const family = name.slice(0, -1)
    return CONCRETE_EVENT_NAMES.filter((concrete) => concrete.startsWith(family))
  }
  return [name as ConcreteEventName]
}

/** Whether a trigger event type covers an event's name (what `expandEventName` lists, without building the list). */
export function eventNameCovers(pattern: TriggerEventName, concrete: string): boolean {
  if (!pattern.endsWith(':*')) return pattern === concrete
  return concrete.startsWith(pattern.slice(0, -1)) && isConcreteEventName(concrete)
}

/** Do two trigger event types share at least one concrete event? */
export function eventNamesOverlap(a: TriggerEventName, b: TriggerEventName): boolean {
  const covered = new Set<string>(expandEventName(a))
  return expandEventName(b).some((name) => covered.has(name))
}

/** Validate a user-supplied event type; the error lists every valid name. */
export function parseTriggerEventName(input: unknown): TriggerEventName {
  const name = typeof input === 'string' ? input.trim() : ''
  if (isTriggerEventName(name)) return name
  throw new CosError(
    'InvalidArgument',
    `Unknown COS event type ${JSON.stringify(input)}. Valid event types: ${TRIGGER_EVENT_NAMES.join(', ')}`
  )
}
