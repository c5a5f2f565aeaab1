/** Shared builders for the event unit tests. */
import type { TriggerEventName } from '../../../../main/core/events/event-names.ts'
import type { ConcreteEventName, ObjectEvent } from '../../../../main/core/events/object-event.ts'
import type { TriggerRule } from '../../../../main/core/events/trigger-rule.ts'

let nextId = 1

export function rule(partial: Partial<TriggerRule> & { event?: TriggerEventName } = {}): TriggerRule {
  return {
    id: partial.id ?? `t${nextId++}`,
    functionName: 'fn',
    qualifier: '$DEFAULT',
    bucket: 'photos-1250000000',
    region: 'ap-guangzhou',
    event: 'cos:ObjectCreated:*',
    prefix: '',
    suffix: '',
    enabled: true,
    createdAt: 0,
    ...partial
  }
}

export function objectEvent(name: ConcreteEventName, partial: Partial<ObjectEvent> = {}): ObjectEvent {
  return {
    name,
    bucket: 'photos-1250000000',
    region: 'ap-guangzhou',
    key: 'img/cat.jpg',
    versionId: '',
    size: 1029,
    etag: '"d41d8cd98f00b204e9800998ecf8427e"',
    meta: { 'Content-Type': 'image/jpeg', 'x-cos-meta-mykey': 'myvalue' },
    requestId: 'NWMxOWY4MGFfMjViMjU4NjRfMTUyMV8yNzhhZjM=',
    sourceIp: '127.0.0.1',
    authorization:
      'q-sign-algorithm=sha1&q-ak=AKIDEXAMPLE&q-sign-time=1545205709;1545215769&q-key-time=1545205709;1545215769&q-header-list=host&q-url-param-list=&q-signature=abc',
    time: 1545205770123,
    ...partial
  }
}
