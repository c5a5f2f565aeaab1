/**
 * Bucket naming rules (COS doc 436/13312): `<name>-<appid>`, lower-case letters, digits
 * and '-', no leading or trailing '-', and the whole virtual-host name
 * `<bucket>.cos.<region>.myqcloud.com` at most 60 characters.
 */
import { CosError } from './errors.ts'

const FULL_NAME = /^([a-z0-9-]+)-(\d+)$/
const MAX_HOST_LENGTH = 60

export interface BucketName {
  /** `<name>-<appid>` as used in requests. */
  full: string
  /** The name without `-<appid>`, as SCF's event calls it. */
  short: string
  appid: string
}

/** Split `<name>-<appid>`; undefined when it is not of that form. */
export function parseBucketName(full: string): BucketName | undefined {
  const match = FULL_NAME.exec(full)
  if (!match) return undefined
  return { full, short: match[1] as string, appid: match[2] as string }
}

/** The virtual-host name COS serves a bucket under. */
export function bucketHost(bucket: string, region: string): string {
  return `${bucket}.cos.${region}.myqcloud.com`
}

/** Throw InvalidBucketName / BucketNameTooLong when `full` may not be created in `region`. */
export function validateBucketName(full: string, region: string): BucketName {
  const parsed = parseBucketName(full)
  if (!parsed || parsed.short.startsWith('-') || parsed.short.endsWith('-') || parsed.short === '') {
    throw new CosError(
      'InvalidBucketName',
      `The bucket name "${full}" is invalid: use <name>-<appid> with lower-case letters, digits and '-', not starting or ending with '-'.`
    )
  }
  const host = bucketHost(full, region)
  if (host.length > MAX_HOST_LENGTH) {
    throw new CosError(
      'BucketNameTooLong',
      `The bucket name "${full}" is too long: "${host}" has ${host.length} characters, at most ${MAX_HOST_LENGTH} are allowed.`
    )
  }
  return parsed
}
