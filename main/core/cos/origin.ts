/**
 * Origin-pull (回源) configuration, `PUT/GET/DELETE /?origin` (reference cos-scf.md §4.8,
 * COS API 436/34533). A GET that misses can be answered from an origin server:
 *   Mirror   fetch from the origin, store the object, return it (fires ObjectCreated:Origin)
 *   Proxy    fetch and stream it back without storing
 *   Redirect answer 301/302/307 with Location pointing at the origin
 * This file parses and validates the rules, serializes them back, picks the rule for a
 * missed key and computes the origin URL and headers. The fetching lives in cos-api.
 */
import { CosError } from './errors.ts'
import { asArray, childBoolean, childNode, childText, unwrapRoot, type XmlNode } from './xml-shape.ts'
import { strictUriEncode } from './uri-encode.ts'

export const ORIGIN_TYPES = ['Mirror', 'Proxy', 'Redirect'] as const
export type OriginType = (typeof ORIGIN_TYPES)[number]
export type OriginProtocol = 'HTTP' | 'HTTPS' | 'FOLLOW'
export const MAX_NEW_HTTP_HEADERS = 10
export const MAX_ORIGIN_HOSTS = 10

export interface OriginHost {
  hostName: string
  weight?: number
  /** StandbyHostName_1 … _10, tried in order when the host fails. */
  standby: string[]
}

export interface OriginRule {
  priority: number
  type: OriginType
  condition: { httpStatusCode: string; prefix: string; suffix: string }
  protocol: OriginProtocol
  transparentErrorCode: boolean
  followQueryString: boolean
  followAllHeaders: boolean
  newHttpHeaders: { key: string; value: string }[]
  followHttpHeaders: string[]
  forbidFollowHeaders: string[]
  followRedirection: boolean
  httpRedirectCode: '301' | '302' | '307'
  hosts: OriginHost[]
  file: { prefix: string; suffix: string; fixedFilePath: string }
}

const invalid = (message: string) => new CosError('InvalidArgument', message)

function headerKeys(container: XmlNode | undefined): string[] {
  return asArray(container?.Header)
    .map((header) => childText(header, 'Key') ?? '')
    .filter((key) => key !== '')
}

function bool(node: XmlNode | undefined, name: string, fallback: boolean, where: string): boolean {
  const value = childBoolean(node, name, fallback)
  if (value === undefined) throw invalid(`${where}.${name} must be true or false.`)
  return value
}

function parseRule(node: unknown, index: number): OriginRule {
  const where = `OriginRule[${index + 1}]`
  const priorityText = childText(node, 'RulePriority')
  const priority = Number(priorityText)
  if (!priorityText || !Number.isInteger(priority) || priority < 1) {
    throw invalid(`${where}.RulePriority must be a positive integer, got "${priorityText ?? ''}".`)
  }
  const typeText = childText(node, 'OriginType') ?? ''
  const type = ORIGIN_TYPES.find((t) => t.toLowerCase() === typeText.toLowerCase())
  if (!type) throw invalid(`${where}.OriginType must be Mirror, Proxy or Redirect, got "${typeText}".`)

  const conditionNode = childNode(node, 'OriginCondition')
  const httpStatusCode = (childText(conditionNode, 'HTTPStatusCode') || '404').toUpperCase()
  if (type === 'Redirect' ? !/^[45](\d\d|XX)$/.test(httpStatusCode) : httpStatusCode !== '404') {
    throw invalid(
      `${where}.OriginCondition.HTTPStatusCode "${httpStatusCode}": Proxy and Mirror rules trigger on 404, ` +
        'Redirect rules on a 4XX or 5XX status.'
    )
  }

  const parameter = childNode(node, 'OriginParameter')
  const protocolText = (childText(parameter, 'Protocol') || 'FOLLOW').toUpperCase()
  if (protocolText !== 'HTTP' && protocolText !== 'HTTPS' && protocolText !== 'FOLLOW') {
    throw invalid(`${where}.OriginParameter.Protocol must be HTTP, HTTPS or FOLLOW, got "${protocolText}".`)
  }
  const httpHeader = childNode(parameter, 'HttpHeader')
  // The API doc spells these NewHttpHeaders / FollowHttpHeaders, the SDK's types NewHttpHeader.
  const newContainer = childNode(httpHeader, 'NewHttpHeaders') ?? childNode(httpHeader, 'NewHttpHeader')
  const newHttpHeaders = asArray(newContainer?.Header)
    .map((header) => ({ key: childText(header, 'Key') ?? '', value: childText(header, 'Value') ?? '' }))
    .filter((header) => header.key !== '')
  if (newHttpHeaders.length > MAX_NEW_HTTP_HEADERS) {
    throw invalid(`${where}: at most ${MAX_NEW_HTTP_HEADERS} NewHttpHeaders, got ${newHttpHeaders.length}.`)
  }
  const redirectText = childText(parameter, 'HttpRedirectCode') || '302'
  if (redirectText !== '301' && redirectText !== '302' && redirectText !== '307') {
    throw invalid(`${where}.OriginParameter.HttpRedirectCode must be 301, 302 or 307, got "${redirectText}".`)
  }
  const followAllName =
    childText(httpHeader, 'FollowAllHeaders') !== undefined ? 'FollowAllHeaders' : 'FollowHttpHeader'
  const followAll = bool(httpHeader, followAllName, false, `${where}.OriginParameter.HttpHeader`)

  const info = childNode(node, 'OriginInfo')
  const hosts = asArray(info?.HostInfo).map((host, h) => {
    const hostName = childText(host, 'HostName') ?? ''
    if (hostName === '') throw invalid(`${where}.OriginInfo.HostInfo[${h + 1}].HostName is required.`)
    const weightText = childText(host, 'Weight')
    const standby: string[] = []
    for (let n = 1; n <= 10; n++) {
      const name = childText(host, `StandbyHostName_${n}`)
      if (name) standby.push(name)
    }
    return { hostName, weight: weightText ? Number(weightText) : undefined, standby }
  })
  if (hosts.length === 0) throw invalid(`${where}.OriginInfo.HostInfo.HostName is required.`)
  if (hosts.length > MAX_ORIGIN_HOSTS) throw invalid(`${where}: at most ${MAX_ORIGIN_HOSTS} HostInfo.`)
  if (type !== 'Mirror' && hosts.length > 1) throw invalid(`${where}: Proxy and Redirect rules take one HostInfo.`)

  const fileInfo = childNode(info, 'FileInfo')
  return {
    priority,
    type,
    condition: {
      httpStatusCode,
      prefix: childText(conditionNode, 'Prefix') ?? '',
      suffix: childText(conditionNode, 'Suffix') ?? ''
    },
    protocol: protocolText,
    transparentErrorCode: bool(parameter, 'TransparentErrorCode', false, where),
    followQueryString: bool(parameter, 'FollowQueryString', true, where),
    followAllHeaders: followAll,
    newHttpHeaders,
    followHttpHeaders: headerKeys(childNode(httpHeader, 'FollowHttpHeaders')),
    forbidFollowHeaders: headerKeys(childNode(httpHeader, 'ForbidFollowHeaders')),
    followRedirection: bool(parameter, 'FollowRedirection', true, where),
    httpRedirectCode: redirectText,
    hosts,
    file: {
      prefix: childText(childNode(fileInfo, 'PrefixConfiguration'), 'Prefix') ?? '',
      suffix: childText(childNode(fileInfo, 'SuffixConfiguration'), 'Suffix') ?? '',
      fixedFilePath: childText(childNode(fileInfo, 'FixedFileConfiguration'), 'FixedFilePath') ?? ''
    }
  }
}

/** Parse and validate a parsed `<OriginConfiguration>` body; rules come back in priority order. */
export function parseOriginConfiguration(body: unknown): OriginRule[] {
  const root = unwrapRoot(body, 'OriginConfiguration')
  if (!root) throw new CosError('MalformedXML', 'The request body must be an <OriginConfiguration> element.')
  const rules = asArray(root.OriginRule).map(parseRule)
  if (rules.length === 0) throw invalid('OriginConfiguration needs at least one OriginRule.')
  const seen = new Set<number>()
  for (const rule of rules) {
    if (seen.has(rule.priority)) throw invalid(`Two OriginRules share RulePriority ${rule.priority}.`)
    seen.add(rule.priority)
  }
  return rules.sort((a, b) => a.priority - b.priority)
}

type XmlTree = { [name: string]: string | number | XmlTree | XmlTree[] | undefined }

const headerList = (keys: string[]): XmlTree | undefined =>
  keys.length === 0 ? undefined : { Header: keys.map((key) => ({ Key: key })) }

/** The rules as the body of GET ?origin: `{ OriginRule: [...] }` under <OriginConfiguration>. */
export function originConfigurationXml(rules: readonly OriginRule[]): XmlTree {
  return {
    OriginRule: rules.map((rule) => ({
      RulePriority: rule.priority,
      OriginType: rule.type,
      OriginCondition: {
        HTTPStatusCode: rule.condition.httpStatusCode,
        Prefix: rule.condition.prefix,
        Suffix: rule.condition.suffix || undefined
      },
      OriginParameter: {
        Protocol: rule.protocol,
        TransparentErrorCode: String(rule.transparentErrorCode),
        FollowQueryString: String(rule.followQueryString),
        HttpHeader: {
          FollowAllHeaders: String(rule.followAllHeaders),
          NewHttpHeaders:
            rule.newHttpHeaders.length === 0
              ? undefined
              : { Header: rule.newHttpHeaders.map((h) => ({ Key: h.key, Value: h.value })) },
          FollowHttpHeaders: headerList(rule.followHttpHeaders),
          ForbidFollowHeaders: headerList(rule.forbidFollowHeaders)
        },
        FollowRedirection: String(rule.followRedirection),
        HttpRedirectCode: rule.httpRedirectCode
      },
      OriginInfo: {
        HostInfo: rule.hosts.map((host) => {
          const node: XmlTree = { HostName: host.hostName, Weight: host.weight }
          host.standby.forEach((name, i) => (node[`StandbyHostName_${i + 1}`] = name))
          return node
        }),
        FileInfo: {
          FixedFileConfiguration: rule.file.fixedFilePath ? { FixedFilePath: rule.file.fixedFilePath } : undefined,
          PrefixConfiguration: rule.file.prefix ? { Prefix: rule.file.prefix } : undefined,
          SuffixConfiguration: rule.file.suffix ? { Suffix: rule.file.suffix } : undefined
        }
      }
    }))
  }
}

/**
 * The rule that handles a request for `key` that ended with `status` (404 for a missing
 * key), in RulePriority order; undefined when none applies.
 */
export function pickOriginRule(rules: readonly OriginRule[], key: string, status = 404): OriginRule | undefined {
  const code = String(status)
  return [...rules]
    .sort((a, b) => a.priority - b.priority)
    .find((rule) => {
      const wanted = rule.condition.httpStatusCode
      const statusMatches = wanted === code || (wanted.endsWith('XX') && wanted[0] === code[0])
      return statusMatches && key.startsWith(rule.condition.prefix) && key.endsWith(rule.condition.suffix)
    })
}

/** Query parameters that authenticate the COS request and must not be passed on. */
const AUTH_PARAMS =
  /^(q-[a-z-]+|sign|x-cos-security-token|x-amz-(algorithm|credential|date|expires|signedheaders|signature|security-token))$/i

function splitHost(hostName: string): { scheme?: 'http' | 'https'; host: string } {
  const match = /^(https?):\/\/(.*)$/i.exec(hostName.trim())
  const host = (match ? match[2] : hostName.trim()).replace(/\/+$/, '')
  return match ? { scheme: match[1].toLowerCase() as 'http' | 'https', host } : { host }
}

/**
 * The URLs to fetch `key` from, in the order to try them: the first host, its standbys,
 * then the other hosts. `query` is the original request's query pairs (decoded).
 */
export function originUrls(
  rule: OriginRule,
  key: string,
  request: { protocol: 'http' | 'https'; query: ReadonlyArray<readonly [string, string]> }
): string[] {
  const file = rule.file.fixedFilePath
    ? rule.file.fixedFilePath.replace(/^\/+/, '')
    : rule.file.prefix + key + rule.file.suffix
  const path = '/' + file.split('/').map(strictUriEncode).join('/')
  const kept = rule.followQueryString ? request.query.filter(([name]) => !AUTH_PARAMS.test(name)) : []
  const search =
    kept.length === 0
      ? ''
      : '?' +
        kept.map(([k, v]) => (v === '' ? strictUriEncode(k) : `${strictUriEncode(k)}=${strictUriEncode(v)}`)).join('&')
  const names = rule.hosts.flatMap((host) => [host.hostName, ...host.standby])
  return names.map((name) => {
    const { scheme, host } = splitHost(name)
    const protocol =
      rule.protocol === 'HTTP' ? 'http' : rule.protocol === 'HTTPS' ? 'https' : (scheme ?? request.protocol)
    return `${protocol}://${host}${path}${search}`
  })
}

/** Headers never forwarded to an origin (hop-by-hop, or about this request to COS). */
const NEVER_FORWARD = new Set([
  'host',
  'authorization',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  'expect',
  'x-cos-security-token'
])

/** The headers to send to the origin: followed request headers plus the rule's new ones. */
export function originRequestHeaders(
  rule: OriginRule,
  requestHeaders: Readonly<Record<string, string | readonly string[] | undefined>>
): Record<string, string> {
  const out: Record<string, string> = {}
  const follow = new Set(rule.followHttpHeaders.map((h) => h.toLowerCase()))
  const forbid = new Set(rule.forbidFollowHeaders.map((h) => h.toLowerCase()))
  for (const [name, value] of Object.entries(requestHeaders)) {
    const lower = name.toLowerCase()
    if (value === undefined || NEVER_FORWARD.has(lower) || forbid.has(lower)) continue
    if (rule.followAllHeaders || follow.has(lower)) out[lower] = typeof value === 'string' ? value : value.join(',')
  }
  for (const header of rule.newHttpHeaders) out[header.key.toLowerCase()] = header.value
  return out
}
