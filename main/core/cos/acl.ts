/**
 * ACLs as COS answers them: canned ACLs (x-cos-acl) and the AccessControlPolicy document
 * GET ?acl returns. The document carries the `xsi:type` of every grantee, which S3 tools
 * such as s3cmd need to parse it; the COS SDK reads Owner and Grant.
 */
import { CosError } from './errors.ts'
import { escapeXml } from './xml-escape.ts'

export const CANNED_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'default'] as const
export type CannedAcl = (typeof CANNED_ACLS)[number]

const ALL_USERS = 'http://cam.qcloud.com/groups/global/AllUsers'
const AUTHENTICATED = 'http://cam.qcloud.com/groups/global/AuthenticatedUsers'

export function parseCannedAcl(value: string): CannedAcl {
  const lower = value.trim().toLowerCase()
  const match = CANNED_ACLS.find((acl) => acl === lower)
  if (!match) {
    throw new CosError('InvalidArgument', `x-cos-acl "${value}" must be one of ${CANNED_ACLS.join(', ')}.`)
  }
  return match
}

/** The owner id of the emulated account: `qcs::cam::uin/<uin>:uin/<uin>`. */
export function ownerId(uin: string): string {
  return `qcs::cam::uin/${uin}:uin/${uin}`
}

function grant(grantee: { id: string } | { uri: string }, permission: string): string {
  const who =
    'id' in grantee
      ? `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${escapeXml(grantee.id)}</ID><DisplayName>${escapeXml(grantee.id)}</DisplayName></Grantee>`
      : `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${grantee.uri}</URI></Grantee>`
  return `<Grant>${who}<Permission>${permission}</Permission></Grant>`
}

/** The AccessControlPolicy document for a canned ACL. */
export function aclDocument(acl: CannedAcl, uin: string): string {
  const owner = ownerId(uin)
  const grants = [grant({ id: owner }, 'FULL_CONTROL')]
  if (acl === 'public-read' || acl === 'public-read-write') grants.push(grant({ uri: ALL_USERS }, 'READ'))
  if (acl === 'public-read-write') grants.push(grant({ uri: ALL_USERS }, 'WRITE'))
  if (acl === 'authenticated-read') grants.push(grant({ uri: AUTHENTICATED }, 'READ'))
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy>' +
    `<Owner><ID>${escapeXml(owner)}</ID><DisplayName>${escapeXml(owner)}</DisplayName></Owner>` +
    `<AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`
  )
}
