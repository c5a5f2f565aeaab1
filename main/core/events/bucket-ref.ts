/**
 * Bucket references as users write them in trigger configs (cos-scf.md §2.5): the full
 * domain `name-appid.cos.region.myqcloud.com`, the full name `name-appid`, or the short
 * name `name` (the emulator's appid is appended).
 */
import { CosError } from '../cos/errors.ts'

export interface BucketRef {
  /** Full bucket name, `<name>-<appid>`. */
  bucket: string
  /** Region when the reference names one (domain form). */
  region?: string
}

const DOMAIN = /^([a-z0-9-]+)\.cos\.([a-z0-9-]+)\.myqcloud\.com$/
const FULL = /^[a-z0-9][a-z0-9-]*-\d+$/
const SHORT = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/

export function parseBucketRef(input: string, appid: string): BucketRef {
  const text = input
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
  const domain = DOMAIN.exec(text)
  if (domain) return { bucket: withAppid(domain[1]!, appid), region: domain[2]! }
  if (FULL.test(text) || SHORT.test(text)) return { bucket: withAppid(text, appid) }
  throw new CosError(
    'InvalidBucketName',
    `Invalid bucket ${JSON.stringify(input)}: use name-appid, name, or name-appid.cos.region.myqcloud.com`
  )
}

function withAppid(name: string, appid: string): string {
  return /-\d+$/.test(name) ? name : `${name}-${appid}`
}

/** Split `name-appid` into its parts; a name without appid gets `fallbackAppid`. */
export function splitBucketName(bucket: string, fallbackAppid: string): { shortName: string; appid: string } {
  const match = /^(.+)-(\d+)$/.exec(bucket)
  if (match) return { shortName: match[1]!, appid: match[2]! }
  return { shortName: bucket, appid: fallbackAppid }
}
