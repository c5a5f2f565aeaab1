/**
 * COS regions: long names (`ap-guangzhou`) in hosts and APIs, legacy short codes (`gz`)
 * in SCF's COS event JSON.
 */
import { CosError } from './errors.ts'

const REGION = /^[a-z0-9-]+$/

/** Legacy short code for a long region name (coscmd's table plus the console's). */
const SHORT_CODES: Record<string, string> = {
  'ap-beijing-1': 'tj',
  'ap-beijing': 'bj',
  'ap-guangzhou': 'gz',
  'ap-shanghai': 'sh',
  'ap-chengdu': 'cd',
  'ap-singapore': 'sg',
  'ap-hongkong': 'hk',
  'na-toronto': 'ca',
  'eu-frankfurt': 'de',
  'ap-chongqing': 'cq',
  'ap-shenzhen-fsi': 'szjr',
  'ap-shanghai-fsi': 'shjr',
  'ap-seoul': 'kr',
  'ap-bangkok': 'th',
  'ap-mumbai': 'in',
  'na-siliconvalley': 'usw',
  'na-ashburn': 'use',
  'eu-moscow': 'ru'
}

/** Short code for the event's `cosBucket.region`; the long name when none is known. */
export function shortRegionCode(region: string): string {
  return SHORT_CODES[region] ?? region
}

export function isValidRegion(region: string): boolean {
  return REGION.test(region) && !region.startsWith('cos.') && region.length <= 40
}

export function validateRegion(region: string): string {
  if (!isValidRegion(region)) {
    throw new CosError('InvalidRegionName', `The region "${region}" is not a valid COS region name.`)
  }
  return region
}
