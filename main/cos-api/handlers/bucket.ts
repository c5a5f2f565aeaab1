/** PUT / HEAD / DELETE Bucket and GET Bucket location. */
import { escapeXml } from '../../core/cos/xml-escape.ts'
import type { Exchange } from '../exchange.ts'
import { sendEmpty, sendXml } from '../exchange.ts'
import { childOf, parseXml, readBody, textOf } from '../xml-in.ts'
import { XML_DECLARATION } from '../xml-out.ts'

export async function putBucket(ex: Exchange): Promise<void> {
  let region = ex.target.region
  const body = await readBody(ex.req, 64 * 1024)
  if (body.length > 0) {
    const xml = parseXml(body)
    const constraint = textOf(childOf(xml, 'CreateBucketConfiguration'), 'LocationConstraint')
    if (region === undefined && constraint) region = constraint.trim()
  }
  const bucket = ex.store.createBucket(ex.target.bucket, region ?? ex.region)
  sendEmpty(ex, 200, { Location: `/${bucket.name}` })
}

export function headBucket(ex: Exchange): void {
  const bucket = ex.store.getBucket(ex.target.bucket)
  sendEmpty(ex, 200, {
    'x-cos-bucket-region': bucket.region,
    ...(ex.amz ? { 'x-amz-bucket-region': bucket.region } : {})
  })
}

export function deleteBucket(ex: Exchange): void {
  ex.store.deleteBucket(ex.target.bucket)
  sendEmpty(ex, 204)
}

export function getBucketLocation(ex: Exchange): void {
  const bucket = ex.store.getBucket(ex.target.bucket)
  sendXml(ex, 200, `${XML_DECLARATION}<LocationConstraint>${escapeXml(bucket.region)}</LocationConstraint>`)
}
