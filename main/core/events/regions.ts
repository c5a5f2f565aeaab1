/**
 * Long COS region names and the short legacy codes SCF puts in `cosBucket.region` and
 * `eventQueue` (cos-scf.md §1.3). Regions without a known code fall back to the long name.
 */
const SHORT_CODES: Record<string, string> = {
  'ap-beijing-1': 'tj',
  'ap-beijing': 'bj',
  'ap-guangzhou': 'gz',
  'ap-shanghai': 'sh',
  'ap-chengdu': 'cd',
  'ap-chongqing': 'cq',
  'ap-hongkong': 'hk',
  'ap-singapore': 'sg',
  'ap-seoul': 'kr',
  'ap-bangkok': 'th',
  'ap-mumbai': 'in',
  'ap-shenzhen-fsi': 'szjr',
  'ap-shanghai-fsi': 'shjr',
  'na-toronto': 'ca',
  'na-siliconvalley': 'usw',
  'na-ashburn': 'use',
  'eu-frankfurt': 'de',
  'eu-moscow': 'ru'
}

export function shortRegion(region: string): string {
  return SHORT_CODES[region] ?? region
}
