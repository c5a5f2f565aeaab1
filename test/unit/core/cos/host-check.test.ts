import { describe, expect, it } from 'vitest'
import { createHostCheck, hostAllowed, hostNameOf, isLoopbackName } from '../../../../main/core/cos/host-check.ts'

const local = { bindHost: '127.0.0.1' }

describe('hostAllowed (COS API Host check)', () => {
  it.each([
    // loopback names and addresses, with and without a port
    ['127.0.0.1', local, true],
    ['127.0.0.1:9500', local, true],
    ['127.8.9.10:1', local, true],
    ['localhost', local, true],
    ['LOCALHOST:9500', local, true],
    ['localhost.:9500', local, true],
    ['b-1250000000.localhost:9500', local, true],
    ['[::1]:9500', local, true],
    ['[::1]', local, true],
    ['[::ffff:127.0.0.1]:9500', local, true],
    // COS's own host forms
    ['examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com', local, true],
    ['examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com:9500', local, true],
    ['cos.ap-guangzhou.myqcloud.com', local, true],
    ['cos.ap-guangzhou.myqcloud.com:80', local, true],
    ['service.cos.myqcloud.com', local, true],
    ['service.cos.myqcloud.com:9500', local, true],
    ['b-1.cos-internal.ap-shanghai.myqcloud.com', local, true],
    ['b-1.cos.ap-shanghai.tencentcos.cn', local, true],
    // absent Host (HTTP/1.0 tools): browsers always send one
    [undefined, local, true],
    // DNS rebinding: a stranger's name pointed at 127.0.0.1
    ['evil.example', local, false],
    ['evil.example:9500', local, false],
    ['myqcloud.com.evil.example', local, false],
    ['cos.ap-guangzhou.myqcloud.com.evil.example:9500', local, false],
    ['localhost.evil.example', local, false],
    ['127.0.0.1.nip.io:9500', local, false],
    ['evilmyqcloud.com', local, false],
    ['service.cos.myqcloud.com.evil', local, false],
    // malformed
    ['', local, false],
    ['127.0.0.1:abc', local, false],
    ['exa mple', local, false],
    ['256.0.0.1', local, false],
    // another machine's address is answered only when bound to it or to every interface
    ['192.168.1.5:9500', local, false],
    ['192.168.1.5:9500', { bindHost: '192.168.1.5' }, true],
    ['192.168.1.5:9500', { bindHost: '0.0.0.0' }, true],
    ['[fe80::1]:9500', { bindHost: '::' }, true],
    ['laptop.lan:9500', { bindHost: '0.0.0.0' }, false],
    // --allow-host
    ['laptop.lan:9500', { bindHost: '0.0.0.0', allowHosts: ['laptop.lan'] }, true],
    ['LAPTOP.lan', { bindHost: '127.0.0.1', allowHosts: ['laptop.lan'] }, true],
    ['other.lan', { bindHost: '127.0.0.1', allowHosts: ['laptop.lan'] }, false]
  ] as const)('%s (%j) → %s', (host, policy, allowed) => {
    expect(hostAllowed(host, policy)).toBe(allowed)
  })
})

describe('hostNameOf', () => {
  it.each([
    ['Example.COM:80', 'example.com'],
    ['[::1]:9500', '::1'],
    ['::1', '::1'],
    ['localhost.', 'localhost']
  ])('%s → %s', (host, name) => expect(hostNameOf(host)).toBe(name))
})

describe('isLoopbackName', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['foo.localhost', true],
    ['128.0.0.1', false],
    ['localhostx', false]
  ])('%s → %s', (name, loopback) => expect(isLoopbackName(name)).toBe(loopback))
})

describe('createHostCheck', () => {
  it('answers as hostAllowed for the same policy, the second time from memory too', () => {
    const policy = { bindHost: '127.0.0.1', allowHosts: ['my.dev'] }
    const check = createHostCheck(policy)
    const hosts = [undefined, 'localhost:9000', 'evil.example', 'my.dev:80', 'x.cos.ap-guangzhou.myqcloud.com', 'a:b:c']
    for (const round of [1, 2])
      for (const host of hosts) expect([round, host, check(host)]).toEqual([round, host, hostAllowed(host, policy)])
  })

  it('keeps answering right past the number of hosts it remembers', () => {
    const check = createHostCheck({ bindHost: '127.0.0.1' })
    for (let i = 0; i < 200; i++) expect(check(`127.0.0.${i % 250}:${9000 + i}`)).toBe(true)
    expect(check('evil.example')).toBe(false)
  })
})
