/**
 * `PUT/GET/DELETE /?replication`: the bucket's replication rules. Validation (both buckets
 * versioned, one destination) and the copying itself live in storage/replication-service.ts.
 */
import { replicationConfigurationXml } from '../../core/cos/replication.ts'
import type { Exchange } from '../exchange.ts'
import { sendEmpty, sendXml } from '../exchange.ts'
import { parseXml, readBody } from '../xml-in.ts'
import { xmlDocument } from '../xml-out.ts'

export async function putBucketReplication(ex: Exchange): Promise<void> {
  ex.features.replication.putConfiguration(ex.target.bucket, parseXml(await readBody(ex.req)))
  sendEmpty(ex, 200)
}

export function getBucketReplication(ex: Exchange): void {
  const config = ex.features.replication.getConfiguration(ex.target.bucket)
  sendXml(ex, 200, xmlDocument('ReplicationConfiguration', replicationConfigurationXml(config)))
}

export function deleteBucketReplication(ex: Exchange): void {
  ex.store.getBucket(ex.target.bucket)
  ex.features.replication.deleteConfiguration(ex.target.bucket)
  sendEmpty(ex, 204)
}
