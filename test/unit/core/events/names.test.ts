import { TRIGGER_EVENT_NAMES as CONTRACT_EVENT_NAMES } from '../../../../preload/contract/event-names.ts'
import { describe, expect, it } from 'vitest'
import {
  TRIGGER_EVENT_NAMES,
  eventNameCovers,
  eventNamesOverlap,
  expandEventName,
  parseTriggerEventName
} from '../../../../main/core/events/event-names.ts'
import { CONCRETE_EVENT_NAMES } from '../../../../main/core/events/object-event.ts'

describe('event names', () => {
  it('lists exactly the seed event types', () => {
    expect(TRIGGER_EVENT_NAMES).toHaveLength(12)
    for (const name of CONCRETE_EVENT_NAMES) expect(TRIGGER_EVENT_NAMES).toContain(name)
  })

  it.each([
    [
      'cos:ObjectCreated:*',
      ['Put', 'Post', 'Copy', 'CompleteMultipartUpload', 'Origin', 'Replication'].map((s) => `cos:ObjectCreated:${s}`)
    ],
    ['cos:ObjectRemove:*', ['cos:ObjectRemove:Delete', 'cos:ObjectRemove:DeleteMarkerCreated']],
    ['cos:ObjectRestore:Post', ['cos:ObjectRestore:Post']],
    ['cos:ObjectCreated:Copy', ['cos:ObjectCreated:Copy']]
  ] as const)('expands %s', (name, expected) => {
    expect(expandEventName(name)).toEqual(expected)
  })

  it.each([
    ['cos:ObjectCreated:*', 'cos:ObjectCreated:Put', true],
    ['cos:ObjectCreated:*', 'cos:ObjectRemove:Delete', false],
    ['cos:ObjectRemove:*', 'cos:ObjectRemove:DeleteMarkerCreated', true],
    ['cos:ObjectRemove:Delete', 'cos:ObjectRemove:DeleteMarkerCreated', false],
    ['cos:ObjectRestore:Completed', 'cos:ObjectRestore:Completed', true],
    ['cos:ObjectRestore:Completed', 'cos:ObjectRestore:Post', false]
  ] as const)('%s covers %s → %s', (pattern, concrete, expected) => {
    expect(eventNameCovers(pattern, concrete)).toBe(expected)
  })

  it('covers exactly what the pattern expands to', () => {
    for (const pattern of TRIGGER_EVENT_NAMES)
      for (const name of [...CONCRETE_EVENT_NAMES, 'cos:ObjectCreated:Append', 'cos:ObjectCreated:*', ''])
        expect(eventNameCovers(pattern, name)).toBe((expandEventName(pattern) as string[]).includes(name))
  })

  it('overlap is symmetric and family-aware', () => {
    expect(eventNamesOverlap('cos:ObjectCreated:*', 'cos:ObjectCreated:Post')).toBe(true)
    expect(eventNamesOverlap('cos:ObjectCreated:Post', 'cos:ObjectCreated:*')).toBe(true)
    expect(eventNamesOverlap('cos:ObjectCreated:Put', 'cos:ObjectCreated:Post')).toBe(false)
    expect(eventNamesOverlap('cos:ObjectCreated:*', 'cos:ObjectRemove:*')).toBe(false)
  })

  it.each(['cos:ObjectCreated:Append', 'cos:ObjectCreated', 's3:ObjectCreated:*', '', 'cos: ObjectRemove:Delete', 42])(
    'rejects %j listing the valid names',
    (input) => {
      expect(() => parseTriggerEventName(input)).toThrow(
        /Valid event types: cos:ObjectCreated:\*, cos:ObjectCreated:Put,.*cos:ObjectRestore:Completed/
      )
    }
  )

  it('accepts every valid name', () => {
    for (const name of TRIGGER_EVENT_NAMES) expect(parseTriggerEventName(name)).toBe(name)
  })

  it('the app-API contract lists exactly the core trigger event names', () => {
    expect([...CONTRACT_EVENT_NAMES]).toEqual([...TRIGGER_EVENT_NAMES])
  })
})
