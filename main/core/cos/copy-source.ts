/**
 * The x-cos-copy-source / x-amz-copy-source header of PUT Object - Copy and Upload Part -
 * Copy: `<bucket>.cos.<region>.myqcloud.com/<url-encoded key>[?versionId=<id>]` (COS), or
 * `[/]<bucket>/<url-encoded key>[?versionId=<id>]` (S3 clients).
 */
import { CosError } from './errors.ts'

export interface CopySource {
  bucket: string
  key: string
  region: string | undefined
  versionId: string | undefined
}

const COS_HOST = /^(.+)\.(?:cos|cos-internal|cos-cdc|cosv6)\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn|localhost)$/

export function parseCopySource(header: string): CopySource {
  let text = header.trim()
  let versionId: string | undefined
  const question = text.indexOf('?')
  if (question >= 0) {
    const params = new URLSearchParams(text.slice(question + 1))
    versionId = params.get('versionId') ?? undefined
    if (versionId === '') versionId = undefined
    text = text.slice(0, question)
  }
  text = text.replace(/^https?:\/\//, '')
  if (text.startsWith('/')) text = text.slice(1)
  const slash = text.indexOf('/')
  if (slash <= 0 || slash === text.length - 1) throw invalid(header)
  const head = text.slice(0, slash)
  const key = decode(text.slice(slash + 1), header)
  const host = COS_HOST.exec(head.toLowerCase().replace(/:\d+$/, ''))
  if (host) return { bucket: host[1] as string, region: host[2], key, versionId }
  return { bucket: decode(head, header), region: undefined, key, versionId }
}

function decode(text: string, header: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw invalid(header)
  }
}

function invalid(header: string): CosError {
  return new CosError(
    'InvalidArgument',
    `The copy source "${header}" must be <bucket>.cos.<region>.myqcloud.com/<key> or /<bucket>/<key>.`
  )
}
