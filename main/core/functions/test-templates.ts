/**
 * COS test templates, as the SCF console offers for testing a function by hand: the SCF
 * COS event for any seed event type, filled with a real bucket and key when given, else
 * with the values of SCF's own local templates (bucket testpic, key testfile).
 */
import { TRIGGER_EVENT_NAMES, expandEventName, type TriggerEventName } from '../events/event-names.ts'
import { buildScfCosEvent, type ScfCosEvent } from '../events/scf-cos-event.ts'

export interface TestTemplateOptions {
  appid: string
  region: string
  bucket?: string
  key?: string
  size?: number
  functionName?: string
  namespace?: string
  /** Epoch ms for eventTime. */
  now: number
}

export interface TestTemplateInfo {
  id: TriggerEventName
  label: string
}

const SAMPLE_REQUEST_ID = 'NWMxOWY4MGFfMjViMjU4NjRfMTUyMV8yNzhhZjM='
const SAMPLE_AUTHORIZATION =
  'q-sign-algorithm=sha1&q-ak=AKIDxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx&q-sign-time=1545205709;1545215769&q-key-time=1545205709;1545215769&q-header-list=host;x-cos-storage-class&q-url-param-list=&q-signature=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'

export function listTestTemplates(): TestTemplateInfo[] {
  return TRIGGER_EVENT_NAMES.map((id) => ({ id, label: `COS ${id.replace('cos:', '').replace(/:/g, ' ')}` }))
}

export function cosTestTemplate(eventName: TriggerEventName, options: TestTemplateOptions): ScfCosEvent {
  const concrete = expandEventName(eventName)[0]!
  const removed = concrete.startsWith('cos:ObjectRemove')
  const event = buildScfCosEvent(
    {
      name: concrete,
      bucket: options.bucket ?? `testpic-${options.appid}`,
      region: options.region,
      key: options.key ?? 'testfile',
      versionId: '',
      size: options.size ?? (removed ? 0 : 1029),
      etag: '',
      meta: { 'Content-Type': '' },
      requestId: SAMPLE_REQUEST_ID,
      sourceIp: '59.37.125.38',
      authorization: SAMPLE_AUTHORIZATION,
      time: options.now
    },
    {
      appid: options.appid,
      namespace: options.namespace ?? 'default',
      functionName: options.functionName ?? 'printevent',
      qualifier: '$LATEST',
      functionRegion: options.region,
      reqid: 179398952,
      notificationId: 'unkown'
    }
  )
  // A wildcard template carries the wildcard name, as the official sample does.
  event.Records[0]!.event.eventName = eventName
  return event
}
