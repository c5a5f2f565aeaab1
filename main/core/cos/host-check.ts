/**
 * Which `Host` headers the COS API answers (DNS rebinding defence). A web page on an
 * attacker's domain can point that domain at 127.0.0.1; the browser then sends the
 * attacker's name as Host. So the COS API answers only names that cannot be re-pointed by
 * a stranger:
 *
 * - loopback names and addresses (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`);
 * - the address the server was told to bind (`--host`), and any IP literal when it binds
 *   every interface (an IP literal cannot be rebound);
 * - COS's own host forms (`<bucket>.cos.<region>.myqcloud.com`, `cos.<region>.myqcloud.com`,
 *   `service.cos.myqcloud.com`, and the `cos-internal` / `cos-website` / `tencentcos.cn`
 *   variants the router reads), whose DNS belongs to Tencent;
 * - names the user allows (`--allow-host NAME`).
 *
 * Any port is accepted. An absent Host (HTTP/1.0 tools) is accepted: browsers always send one.
 */

export interface HostPolicy {
  /** The interface the server binds (`--host`). */
  bindHost: string
  /** Extra names allowed with `--allow-host` (case-insensitive, without port). */
  allowHosts?: readonly string[]
}

const COS_HOST = /^(?:[^.]+\.)?(?:cos|cos-internal|cos-website)\.[a-z0-9-]+\.(?:myqcloud\.com|tencentcos\.cn)$/
const SERVICE_HOST = /^service\.cos\.(?:myqcloud\.com|tencentcos\.cn)$/
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
const WILDCARD_BIND = new Set(['0.0.0.0', '::', '[::]', ''])

/** The host name of a Host header value: lower case, port removed, IPv6 brackets removed. */
export function hostNameOf(host: string): string {
  const lower = host.trim().toLowerCase()
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']')
    return end < 0 ? lower : lower.slice(1, end)
  }
  const colon = lower.indexOf(':')
  if (colon >= 0 && lower.indexOf(':', colon + 1) >= 0) return lower // bare IPv6 without brackets
  const name = colon >= 0 ? lower.slice(0, colon) : lower
  return name.endsWith('.') ? name.slice(0, -1) : name
}

function isIpv4(name: string): boolean {
  const match = IPV4.exec(name)
  return match !== null && match.slice(1).every((part) => Number(part) <= 255)
}

function isIpv6(name: string): boolean {
  return name.includes(':') && /^[0-9a-f:.]+$/.test(name)
}

export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (isIpv4(name)) return name.startsWith('127.')
  return name === '::1' || name === '0:0:0:0:0:0:0:1' || /^::ffff:127\.\d+\.\d+\.\d+$/.test(name)
}

export function isCosHostName(name: string): boolean {
  return COS_HOST.test(name) || SERVICE_HOST.test(name)
}

/** The port part of a Host header must be digits (or absent). */
function portOk(host: string): boolean {
  const trimmed = host.trim()
  const afterBracket = trimmed.startsWith('[') ? trimmed.slice(trimmed.indexOf(']') + 1) : trimmed
  if (!trimmed.startsWith('[') && afterBracket.split(':').length > 2) return true // bare IPv6
  const colon = afterBracket.indexOf(':')
  return colon < 0 || /^\d{1,5}$/.test(afterBracket.slice(colon + 1))
}

/** Whether the COS API may answer a request carrying this Host header. */
export function hostAllowed(host: string | undefined, policy: HostPolicy): boolean {
  if (host === undefined) return true
  if (host.trim() === '' || !portOk(host)) return false
  const name = hostNameOf(host)
  if (name === '' || /[^a-z0-9.:_-]/.test(name)) return false
  if (isLoopbackName(name) || isCosHostName(name)) return true
  const bind = hostNameOf(policy.bindHost)
  if (name === bind) return true
  if (WILDCARD_BIND.has(bind) && (isIpv4(name) || isIpv6(name))) return true
  return (policy.allowHosts ?? []).some((allowed) => hostNameOf(allowed) === name)
}

/** How many distinct Host values a host check remembers (clients send one or a few). */
const REMEMBERED_HOSTS = 64

/**
 * `hostAllowed` under one policy, remembering its answers: every request carries the same
 * few Host values, and checking one takes several regular expressions.
 */
export function createHostCheck(policy: HostPolicy): (host: string | undefined) => boolean {
  const answers = new Map<string, boolean>()
  return (host) => {
    if (host === undefined) return true
    let allowed = answers.get(host)
    if (allowed === undefined) {
      allowed = hostAllowed(host, policy)
      if (answers.size >= REMEMBERED_HOSTS) answers.clear()
      answers.set(host, allowed)
    }
    return allowed
  }
}
