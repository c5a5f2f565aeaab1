import { XMLBuilder, XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { CosError } from '../../../../main/core/cos/errors.ts'
import {
  originConfigurationXml,
  originRequestHeaders,
  originUrls,
  parseOriginConfiguration,
  pickOriginRule
} from '../../../../main/core/cos/origin.ts'

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false })
const parse = (xml: string) => parseOriginConfiguration(parser.parse(xml))

const DOC_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<OriginConfiguration>
  <OriginRule>
    <RulePriority>2</RulePriority>
    <OriginType>Mirror</OriginType>
    <OriginCondition><HTTPStatusCode>404</HTTPStatusCode><Prefix></Prefix></OriginCondition>
    <OriginParameter>
      <Protocol>HTTP</Protocol>
      <FollowQueryString>true</FollowQueryString>
      <HttpHeader>
        <FollowAllHeaders>false</FollowAllHeaders>
        <NewHttpHeaders><Header><Key>x-cos</Key><Value>exampleHeader</Value></Header></NewHttpHeaders>
        <FollowHttpHeaders><Header><Key>exampleHeaderKey</Key></Header></FollowHttpHeaders>
      </HttpHeader>
      <FollowRedirection>true</FollowRedirection>
      <HttpRedirectCode>302</HttpRedirectCode>
    </OriginParameter>
    <OriginInfo>
      <HostInfo><HostName>127.0.0.1:8080</HostName><StandbyHostName_1>backup.example.com</StandbyHostName_1></HostInfo>
      <FileInfo><PrefixConfiguration><Prefix>mirror/</Prefix></PrefixConfiguration><SuffixConfiguration><Suffix>.orig</Suffix></SuffixConfiguration></FileInfo>
    </OriginInfo>
  </OriginRule>
  <OriginRule>
    <RulePriority>1</RulePriority>
    <OriginType>Redirect</OriginType>
    <OriginCondition><HTTPStatusCode>404</HTTPStatusCode><Prefix>old/</Prefix></OriginCondition>
    <OriginParameter><Protocol>HTTPS</Protocol><FollowQueryString>false</FollowQueryString><HttpRedirectCode>301</HttpRedirectCode></OriginParameter>
    <OriginInfo><HostInfo><HostName>new.example.com</HostName></HostInfo></OriginInfo>
  </OriginRule>
</OriginConfiguration>`

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof CosError) return error.code
    throw error
  }
  return undefined
}

describe('origin configuration', () => {
  it('parses the documented example, sorted by RulePriority', () => {
    const rules = parse(DOC_EXAMPLE)
    expect(rules.map((r) => [r.priority, r.type])).toEqual([
      [1, 'Redirect'],
      [2, 'Mirror']
    ])
    expect(rules[1]).toMatchObject({
      protocol: 'HTTP',
      followQueryString: true,
      followAllHeaders: false,
      newHttpHeaders: [{ key: 'x-cos', value: 'exampleHeader' }],
      followHttpHeaders: ['exampleHeaderKey'],
      hosts: [{ hostName: '127.0.0.1:8080', standby: ['backup.example.com'] }],
      file: { prefix: 'mirror/', suffix: '.orig', fixedFilePath: '' }
    })
    expect(rules[0]).toMatchObject({ httpRedirectCode: '301', condition: { prefix: 'old/' } })
  })

  it('round-trips through its XML form', () => {
    const rules = parse(DOC_EXAMPLE)
    const builder = new XMLBuilder({})
    const xml = builder.build({ OriginConfiguration: originConfigurationXml(rules) })
    expect(parse(xml)).toEqual(rules)
  })

  it('accepts the SDK spelling (NewHttpHeader, FollowHttpHeader) and defaults', () => {
    const rules = parseOriginConfiguration({
      OriginConfiguration: {
        OriginRule: {
          RulePriority: '1',
          OriginType: 'Proxy',
          OriginCondition: { HTTPStatusCode: '404', Prefix: '' },
          OriginParameter: {
            Protocol: 'FOLLOW',
            HttpHeader: { FollowHttpHeader: 'true', NewHttpHeader: { Header: [{ Key: 'a', Value: '1' }] } }
          },
          OriginInfo: { HostInfo: { HostName: 'origin.local' } }
        }
      }
    })
    expect(rules[0]).toMatchObject({
      type: 'Proxy',
      followAllHeaders: true,
      followQueryString: true,
      followRedirection: true,
      httpRedirectCode: '302',
      newHttpHeaders: [{ key: 'a', value: '1' }]
    })
  })

  it('rejects invalid rules with InvalidArgument / MalformedXML', () => {
    const rule = (over: Record<string, unknown>) => ({
      OriginConfiguration: {
        OriginRule: {
          RulePriority: '1',
          OriginType: 'Mirror',
          OriginCondition: { HTTPStatusCode: '404' },
          OriginParameter: { Protocol: 'HTTP' },
          OriginInfo: { HostInfo: { HostName: 'h' } },
          ...over
        }
      }
    })
    expect(codeOf(() => parseOriginConfiguration(rule({})))).toBeUndefined()
    expect(codeOf(() => parseOriginConfiguration(rule({ OriginType: 'Copy' })))).toBe('InvalidArgument')
    expect(codeOf(() => parseOriginConfiguration(rule({ RulePriority: 'x' })))).toBe('InvalidArgument')
    expect(codeOf(() => parseOriginConfiguration(rule({ OriginCondition: { HTTPStatusCode: '500' } })))).toBe(
      'InvalidArgument'
    )
    expect(
      codeOf(() =>
        parseOriginConfiguration(rule({ OriginType: 'Redirect', OriginCondition: { HTTPStatusCode: '5XX' } }))
      )
    ).toBeUndefined()
    expect(codeOf(() => parseOriginConfiguration(rule({ OriginParameter: { Protocol: 'FTP' } })))).toBe(
      'InvalidArgument'
    )
    expect(codeOf(() => parseOriginConfiguration(rule({ OriginParameter: { HttpRedirectCode: '303' } })))).toBe(
      'InvalidArgument'
    )
    expect(codeOf(() => parseOriginConfiguration(rule({ OriginInfo: {} })))).toBe('InvalidArgument')
    const headers = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    expect(
      codeOf(() =>
        parseOriginConfiguration(rule({ OriginParameter: { HttpHeader: { NewHttpHeaders: { Header: headers } } } }))
      )
    ).toBe('InvalidArgument')
    expect(codeOf(() => parseOriginConfiguration({ Nope: {} }))).toBe('MalformedXML')
  })

  it('picks the first matching rule by priority and prefix', () => {
    const rules = parse(DOC_EXAMPLE)
    expect(pickOriginRule(rules, 'old/a.txt')?.type).toBe('Redirect')
    expect(pickOriginRule(rules, 'new/a.txt')?.type).toBe('Mirror')
    expect(pickOriginRule(rules, 'new/a.txt', 403)).toBeUndefined()
    expect(pickOriginRule([], 'a')).toBeUndefined()
  })

  it('computes origin URLs with prefix/suffix rewrite, protocol and query rules', () => {
    const [redirect, mirror] = parse(DOC_EXAMPLE)
    const query = [
      ['v', '1 2'],
      ['q-sign-algorithm', 'sha1'],
      ['X-Amz-Signature', 'x']
    ] as const
    expect(originUrls(mirror, 'dir/a b.txt', { protocol: 'http', query })).toEqual([
      'http://127.0.0.1:8080/mirror/dir/a%20b.txt.orig?v=1%202',
      'http://backup.example.com/mirror/dir/a%20b.txt.orig?v=1%202'
    ])
    expect(originUrls(redirect, 'old/x', { protocol: 'http', query })).toEqual(['https://new.example.com/old/x'])
  })

  it('forwards followed headers and adds the new ones, never Host or Authorization', () => {
    const [, mirror] = parse(DOC_EXAMPLE)
    const headers = originRequestHeaders(mirror, {
      host: 'h',
      authorization: 'a',
      exampleheaderkey: 'yes',
      other: 'no'
    })
    expect(headers).toEqual({ exampleheaderkey: 'yes', 'x-cos': 'exampleHeader' })
    const all = originRequestHeaders(
      { ...mirror, followAllHeaders: true, forbidFollowHeaders: ['other'] },
      { host: 'h', a: '1', other: '2' }
    )
    expect(all).toEqual({ a: '1', 'x-cos': 'exampleHeader' })
  })
})
