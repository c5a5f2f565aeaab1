/** GET Service: the account's buckets (only one region's on `cos.<region>.myqcloud.com`). */
import type { Exchange } from '../exchange.ts'
import { sendXml } from '../exchange.ts'
import { isoDate, ownerNode, xmlDocument } from '../xml-out.ts'

export function listBuckets(ex: Exchange): void {
  const appid = ex.store.appid
  const region = ex.target.region
  const buckets = ex.store.listBuckets().filter((bucket) => region === undefined || bucket.region === region)
  sendXml(
    ex,
    200,
    xmlDocument('ListAllMyBucketsResult', {
      Owner: ownerNode(appid),
      Buckets: {
        Bucket: buckets.map((bucket) => ({
          Name: bucket.name,
          Location: bucket.region,
          CreationDate: isoDate(bucket.createdAt),
          BucketType: 'cos'
        }))
      }
    })
  )
}
