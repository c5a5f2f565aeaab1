/**
 * Builds the event JSON SCF hands a function for a COS trigger, exactly as the official
 * sample (cos-scf.md §1.1): short region code in `cosBucket.region`, long region in `url`,
 * key `/<appid>/<shortname>/<key>`, integer `eventTime` seconds, `meta` with
 * `x-cos-request-id` first, then `Content-Type`, then the other headers as stored.
 */
import { splitBucketName } from './bucket-ref.ts'
import type { ObjectEvent } from './object-event.ts'
import { shortRegionCode as shortRegion } from '../cos/region.ts'

export interface ScfCosEvent {
  Records: ScfCosRecord[]
}

export interface ScfCosRecord {
  cos: {
    cosSchemaVersion: '1.0'
    cosObject: {
      url: string
      meta: Record<string, string>
      vid: string
      key: string
      size: number
    }
    cosBucket: { region: string; name: string; appid: string }
    cosNotificationId: string
  }
  event: {
    eventName: string
    eventVersion: '1.0'
    eventTime: number
    eventSource: 'qcs::cos'
    requestParameters: {
      requestSourceIP: string
      requestHeaders: { Authorization: string }
    }
    eventQueue: string
    reservedInfo: ''
    reqid: number
  }
}

export interface DeliveryTarget {
  /** The emulator's appid, used when the bucket name carries none. */
  appid: string
  namespace: string
  functionName: string
  qualifier: string
  /** Region of the function (for `eventQueue`). */
  functionRegion: string
  /** Integer request id of the delivery (`event.reqid`). */
  reqid: number
  /** The trigger's id (`cosNotificationId`). */
  notificationId: string
}

export function objectUrl(bucket: string, region: string, key: string): string {
  // each segment encoded, the slashes kept: the same as split/map/join without the arrays (a
  // '%' in the key becomes '%25', so no '%2F' is made from the key's own text)
  const path = encodeURIComponent(key).replaceAll('%2F', '/')
  return `http://${bucket}.cos.${region}.myqcloud.com/${path}`
}

export function eventQueueName(
  target: Pick<DeliveryTarget, 'appid' | 'namespace' | 'functionName' | 'qualifier' | 'functionRegion'>
): string {
  return `qcs:0:scf:${shortRegion(target.functionRegion)}:appid/${target.appid}:${target.namespace}.${target.functionName}.${target.qualifier}`
}

export function buildCosEventMeta(event: Pick<ObjectEvent, 'meta' | 'requestId'>): Record<string, string> {
  const meta: Record<string, string> = { 'x-cos-request-id': event.requestId, 'Content-Type': '' }
  for (const [name, value] of Object.entries(event.meta)) {
    if (name.toLowerCase() === 'x-cos-request-id') continue
    meta[name.toLowerCase() === 'content-type' ? 'Content-Type' : name] = value
  }
  return meta
}

export function buildScfCosEvent(event: ObjectEvent, target: DeliveryTarget): ScfCosEvent {
  const { shortName, appid } = splitBucketName(event.bucket, target.appid)
  return {
    Records: [
      {
        cos: {
          cosSchemaVersion: '1.0',
          cosObject: {
            url: objectUrl(event.bucket, event.region, event.key),
            meta: buildCosEventMeta(event),
            vid: event.versionId,
            key: `/${appid}/${shortName}/${event.key}`,
            size: event.size
          },
          cosBucket: { region: shortRegion(event.region), name: shortName, appid },
          cosNotificationId: target.notificationId
        },
        event: {
          eventName: event.name,
          eventVersion: '1.0',
          eventTime: Math.floor(event.time / 1000),
          eventSource: 'qcs::cos',
          requestParameters: {
            requestSourceIP: event.sourceIp,
            requestHeaders: { Authorization: event.authorization }
          },
          eventQueue: eventQueueName({
            appid,
            namespace: target.namespace,
            functionName: target.functionName,
            qualifier: target.qualifier,
            functionRegion: target.functionRegion
          }),
          reservedInfo: '',
          reqid: target.reqid
        }
      }
    ]
  }
}
