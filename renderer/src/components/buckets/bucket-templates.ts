/** Starting points for the bucket settings editor when a bucket has no rules yet. */
import type { BucketSubresource } from '../../lib/cos/client.ts'

export function templateFor(sub: BucketSubresource, bucket: string, region: string, appid: string): string {
  switch (sub) {
    case 'cors':
      return `<CORSConfiguration>
  <CORSRule>
    <ID>browser-uploads</ID>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`
    case 'origin':
      return `<OriginConfiguration>
  <OriginRule>
    <RulePriority>1</RulePriority>
    <OriginType>Mirror</OriginType>
    <OriginCondition><HTTPStatusCode>404</HTTPStatusCode><Prefix></Prefix></OriginCondition>
    <OriginParameter>
      <Protocol>HTTP</Protocol>
      <FollowQueryString>true</FollowQueryString>
      <HttpHeader><FollowAllHeaders>false</FollowAllHeaders></HttpHeader>
      <FollowRedirection>true</FollowRedirection>
      <HttpRedirectCode>302</HttpRedirectCode>
    </OriginParameter>
    <OriginInfo><HostInfo><HostName>127.0.0.1:8080</HostName></HostInfo></OriginInfo>
  </OriginRule>
</OriginConfiguration>`
    case 'replication':
      return `<ReplicationConfiguration>
  <Role>qcs::cam::uin/100000000001:uin/100000000001</Role>
  <Rule>
    <ID>backup</ID>
    <Status>Enabled</Status>
    <Prefix></Prefix>
    <Destination>
      <Bucket>qcs::cos:${region}::${bucket.replace(/-\d+$/, '')}-backup-${appid}</Bucket>
    </Destination>
  </Rule>
</ReplicationConfiguration>`
  }
}
