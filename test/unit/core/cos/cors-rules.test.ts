import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import {
  corsConfigurationXml,
  corsHeaders,
  defaultCorsRule,
  matchCorsRule,
  parseCorsConfiguration,
  wildcardMatch,
  type CorsRule
} from '../../../../main/core/cos/cors-rules.ts'

const parse = (xml: string): unknown => new XMLParser({ parseTagValue: false }).parse(xml)

describe('wildcardMatch', () => {
  it.each([
    ['*', 'http://anything:1', true],
    ['http://*.example.com', 'http://a.example.com', true],
    ['http://*.example.com', 'http://a.b.example.com', true],
    ['http://*.example.com', 'http://example.com', false],
    ['http://*.example.com', 'http://a.example.com.evil', false],
    ['http://localhost:*', 'http://localhost:5173', true],
    ['http://localhost:*', 'http://localhost', false],
    ['http://localhost:*', 'http://localhost.evil.example:80', false],
    ['http://127.0.0.1:*', 'http://127.0.0.1.evil.example:80', false],
    ['https://app.test', 'HTTPS://APP.TEST', true],
    ['x-cos-*', 'X-Cos-Meta-A', true],
    ['*a*b*', 'xxaxxbxx', true],
    ['*a*b*', 'xxbxxaxx', false],
    ['ab*ba', 'aba', false]
  ])('%s ~ %s → %s', (pattern, value, matches) => expect(wildcardMatch(pattern, value)).toBe(matches))
})

const rules: CorsRule[] = [
  {
    allowedOrigins: ['https://app.test'],
    allowedMethods: ['GET', 'HEAD'],
    allowedHeaders: ['range', 'x-cos-*'],
    exposeHeaders: ['ETag'],
    maxAgeSeconds: 300
  },
  {
    allowedOrigins: ['http://*.dev.test:*'],
    allowedMethods: ['PUT', 'POST', 'GET'],
    allowedHeaders: ['*'],
    exposeHeaders: []
  }
]

describe('matchCorsRule', () => {
  it.each([
    ['https://app.test', 'GET', [], 0],
    ['https://app.test', 'get', ['Range'], 0],
    ['https://app.test', 'GET', ['x-cos-meta-a', 'range'], 0],
    ['https://app.test', 'GET', ['authorization'], undefined], // header not allowed by rule 0
    ['https://app.test', 'PUT', [], undefined], // method not allowed
    ['http://a.dev.test:8080', 'PUT', ['content-type', 'authorization'], 1],
    ['http://a.dev.test:8080', 'DELETE', [], undefined],
    ['http://evil.example', 'GET', [], undefined],
    ['null', 'GET', [], undefined]
  ] as const)('%s %s %j → rule %s', (origin, method, headers, index) => {
    const rule = matchCorsRule(rules, { origin, method, requestHeaders: headers })
    expect(rule === undefined ? undefined : rules.indexOf(rule)).toBe(index)
  })

  it('the first matching rule wins', () => {
    const both = [rules[1]!, { ...rules[1]!, exposeHeaders: ['x'] }]
    expect(matchCorsRule(both, { origin: 'http://a.dev.test:1', method: 'GET' })).toBe(both[0])
  })

  it('the default rule allows loopback origins on any port and --cors-origin additions, nothing else', () => {
    const defaults = [defaultCorsRule(['https://extra.test'])]
    for (const origin of [
      'http://localhost:5173',
      'http://127.0.0.1:41234',
      'http://[::1]:3000',
      'http://localhost',
      'https://localhost:8443',
      'https://extra.test'
    ])
      expect(
        matchCorsRule(defaults, { origin, method: 'PUT', requestHeaders: ['authorization'] }),
        origin
      ).toBeDefined()
    for (const origin of ['http://evil.example', 'null', 'http://localhost.evil.example:80', 'https://extra.test.evil'])
      expect(matchCorsRule(defaults, { origin, method: 'GET' }), origin).toBeUndefined()
  })
})

describe('corsHeaders', () => {
  it('a preflight answer names the origin, the rule methods, the asked headers, exposed headers and max age', () => {
    const request = { origin: 'https://app.test', method: 'GET', requestHeaders: ['range'] }
    expect(corsHeaders(rules[0]!, request, true)).toEqual({
      'Access-Control-Allow-Origin': 'https://app.test',
      'Access-Control-Allow-Methods': 'GET, HEAD',
      'Access-Control-Allow-Headers': 'range',
      'Access-Control-Expose-Headers': 'ETag',
      'Access-Control-Max-Age': '300',
      Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'
    })
  })

  it('an actual response carries origin and exposed headers only; a * rule answers *', () => {
    const star: CorsRule = { allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }
    expect(corsHeaders(star, { origin: 'http://x', method: 'GET' }, false)).toEqual({
      'Access-Control-Allow-Origin': '*',
      Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'
    })
  })
})

describe('parseCorsConfiguration', () => {
  it('reads rules with repeated and single elements, and round-trips through corsConfigurationXml', () => {
    const xml = corsConfigurationXml(rules)
    const parsed = parseCorsConfiguration(parse(xml))
    expect(parsed).toEqual(rules)
    expect(parseCorsConfiguration(parse(corsConfigurationXml([defaultCorsRule()])))).toEqual([defaultCorsRule()])
  })

  it.each([
    ['<Other/>', 'MalformedXML'],
    ['<CORSConfiguration></CORSConfiguration>', 'MalformedXML'],
    ['<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>', 'MalformedXML'],
    [
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>',
      'InvalidArgument'
    ],
    [
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>-1</MaxAgeSeconds></CORSRule></CORSConfiguration>',
      'InvalidArgument'
    ]
  ])('%s → %s', (xml, code) => {
    expect(() => parseCorsConfiguration(parse(xml))).toThrow(expect.objectContaining({ code }))
  })
})
