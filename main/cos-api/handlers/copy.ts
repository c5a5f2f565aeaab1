/** PUT Object - Copy: from any bucket (and region) of the account, Copy or Replaced metadata. */
import { parseCopySource } from '../../core/cos/copy-source.ts'
import { CosError } from '../../core/cos/errors.ts'
import { parseStorageClass } from '../../core/cos/storage-class.ts'
import { copySourceCondition } from '../copy-conditions.ts'
import type { Exchange } from '../exchange.ts'
import { sendXml } from '../exchange.ts'
import { storedHeaders } from '../object-headers.ts'
import { isoDate, quoteEtag, xmlDocument } from '../xml-out.ts'
import { versionHeader } from './object-write.ts'
import { archiveAware } from '../copy-conditions.ts'

export async function copyObject(ex: Exchange): Promise<void> {
  const source = parseCopySource(ex.cosHeader('copy-source') as string)
  const directive = ex.cosHeader('metadata-directive') ?? 'Copy'
  if (
    directive.toLowerCase() !== 'copy' &&
    directive.toLowerCase() !== 'replaced' &&
    directive.toLowerCase() !== 'replace'
  ) {
    throw new CosError('InvalidArgument', `Unknown metadata directive "${directive}": use Copy or Replaced.`)
  }
  ex.req.resume()
  const storageClassHeader = ex.cosHeader('storage-class')
  const storageClass = storageClassHeader === undefined ? undefined : parseStorageClass(storageClassHeader)
  const replaced = directive.toLowerCase() !== 'copy'
  if (!replaced && source.bucket === ex.target.bucket && source.key === ex.target.key) {
    const current = ex.store.headObject(source.bucket, source.key, source.versionId)
    // A copy without x-cos-storage-class writes STANDARD, so only that compares equal then.
    if (current.isLatest && (storageClass ?? 'STANDARD') === current.storageClass) {
      throw new CosError(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
      )
    }
  }
  const version = await ex.store.copyObject(
    ex.target.bucket,
    ex.target.key,
    {
      sourceBucket: source.bucket,
      sourceKey: source.key,
      sourceVersionId: source.versionId,
      metadataDirective: replaced ? 'Replaced' : 'Copy',
      headers: storedHeaders(ex.req.headers, ex.target.key),
      storageClass,
      sourceCondition: archiveAware(ex, copySourceCondition(ex))
    },
    ex.context
  )
  sendXml(
    ex,
    200,
    xmlDocument('CopyObjectResult', {
      ETag: quoteEtag(version.etag),
      LastModified: isoDate(version.lastModified),
      VersionId: version.versionId === 'null' ? undefined : version.versionId
    }),
    versionHeader(ex, version.versionId)
  )
}
