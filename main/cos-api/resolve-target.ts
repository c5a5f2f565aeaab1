/**
 * Where a request points: bucket, key and region, from the Host header (virtual-host
 * style, as cos-nodejs-sdk-v5 and rclone send it) or from the path (path style, as S3
 * clients send it to an IP endpoint).
 *
 * Virtual-host forms: `<bucket>.cos.<region>.myqcloud.com` (also `cos-internal`,
 * `tencentcos.cn`, `<bucket>.cos.<region>.localhost`, `<bucket>.localhost`), with or
 * without a port. Path-style hosts: `cos.<region>.myqcloud.com`, `service.cos.myqcloud.com`,
 * and any other host (127.0.0.1:PORT, localhost:PORT).
 */
import { CosError } from '../core/cos/errors.ts'

export interface Target {
  /** `<name>-<appid>`, '' for the service (GET Service). */
  bucket: string
  /** Decoded object key, '' for bucket and service requests. */
  key: string
  /** Region named by the Host, if any. */
  region: string | undefined
  /** The bucket came from the first path segment. */
  pathStyle: boolean
}

const VIRTUAL_HOST =
  /^(.+)\.(?:cos|cos-internal|cos-website)\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn|localhost)$/
const LOCAL_VIRTUAL_HOST = /^([a-z0-9-]+-\d+)\.localhost$/
const REGION_HOST = /^cos\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)$/

export function hostName(host: string | undefined): string {
  if (!host) return ''
  const lower = host.toLowerCase()
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1)
  const colon = lower.lastIndexOf(':')
  return colon >= 0 ? lower.slice(0, colon) : lower
}

/** What a Host value names: the bucket (virtual-host style) or only a region (path style). */
interface HostMeaning {
  bucket: string | undefined
  region: string | undefined
}

/** Hosts seen, with their meaning: every request carries the same few, and each takes up to three regexes. */
const HOST_MEANINGS = new Map<string, HostMeaning>()
const REMEMBERED_HOSTS = 256

function hostMeaning(host: string | undefined): HostMeaning {
  const key = host ?? ''
  let meaning = HOST_MEANINGS.get(key)
  if (meaning === undefined) {
    meaning = readHost(host)
    if (HOST_MEANINGS.size >= REMEMBERED_HOSTS) HOST_MEANINGS.clear()
    HOST_MEANINGS.set(key, meaning)
  }
  return meaning
}

function readHost(host: string | undefined): HostMeaning {
  const name = hostName(host)
  const virtual = VIRTUAL_HOST.exec(name)
  if (virtual) return { bucket: virtual[1] as string, region: virtual[2] === 'accelerate' ? undefined : virtual[2] }
  const local = LOCAL_VIRTUAL_HOST.exec(name)
  if (local) return { bucket: local[1] as string, region: undefined }
  const regionHost = REGION_HOST.exec(name)
  return { bucket: undefined, region: regionHost ? regionHost[1] : undefined }
}

export function resolveTarget(host: string | undefined, rawPath: string): Target {
  const { bucket, region } = hostMeaning(host)
  if (bucket !== undefined) return { bucket, key: decodeKey(rawPath.slice(1)), region, pathStyle: false }
  const path = rawPath.slice(1)
  const slash = path.indexOf('/')
  if (slash < 0) return { bucket: decodeKey(path), key: '', region, pathStyle: true }
  return { bucket: decodeKey(path.slice(0, slash)), key: decodeKey(path.slice(slash + 1)), region, pathStyle: true }
}

function decodeKey(raw: string): string {
  if (!raw.includes('%')) return raw
  try {
    return decodeURIComponent(raw)
  } catch {
    throw new CosError('InvalidURI', 'The request path is not a valid percent-encoded URI.')
  }
}
