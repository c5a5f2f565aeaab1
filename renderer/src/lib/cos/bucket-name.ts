/**
 * COS's bucket-name rules, checked as the user types: `<name>-<APPID>`, the name in lower-case
 * letters, digits and "-" (not at either end), the APPID this instance (account) owns, and the
 * whole request domain `<bucket>.cos.<region>.myqcloud.com` at most 60 characters.
 */

export type BucketNameProblem =
  | { rule: 'empty' }
  | { rule: 'characters' }
  | { rule: 'dash-ends' }
  | { rule: 'foreign-appid'; appid: string }
  | { rule: 'too-long'; length: number }

/** A bucket name as COS wants it: `<name>-<appid>`; adds the APPID when the name lacks it. */
export function fullBucketName(input: string, appid: string): string {
  const name = input.trim()
  return /-\d{6,}$/.test(name) || !name ? name : `${name}-${appid}`
}

/** The first rule the full name breaks, or undefined when COS would accept it. */
export function bucketNameProblem(full: string, appid: string, region: string): BucketNameProblem | undefined {
  if (!full) return { rule: 'empty' }
  const match = /^(.*)-(\d+)$/.exec(full)
  const name = match ? match[1]! : full
  if (!/^[a-z0-9-]+$/.test(name)) return { rule: 'characters' }
  if (name.startsWith('-') || name.endsWith('-')) return { rule: 'dash-ends' }
  if (match && match[2] !== appid) return { rule: 'foreign-appid', appid: match[2]! }
  const length = `${full}.cos.${region}.myqcloud.com`.length
  if (length > 60) return { rule: 'too-long', length }
  return undefined
}

/** COS regions offered when creating a bucket (mainland China first, then the rest). */
export const REGIONS = [
  'ap-beijing',
  'ap-nanjing',
  'ap-shanghai',
  'ap-guangzhou',
  'ap-chengdu',
  'ap-chongqing',
  'ap-hongkong',
  'ap-singapore',
  'ap-jakarta',
  'ap-seoul',
  'ap-bangkok',
  'ap-tokyo',
  'na-siliconvalley',
  'na-ashburn',
  'sa-saopaulo',
  'eu-frankfurt'
]
